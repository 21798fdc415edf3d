package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Health probes, metrics and the served API document of a running service (sync mode). */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;
    private ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.freshDatabase());
        properties.put("coupons.event-driven", false);
        return TestService.asStrings(properties);
    }

    @BeforeAll
    void connect() {
        TestService.awaitHealthy(server.getURI());
        api = new ApiClient(server.getURI());
    }

    @AfterAll
    void disconnect() {
        api.close();
    }

    private String text(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.getURI().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static double counter(String metrics, String name, String outcome) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{outcome=\"" + outcome + "\"\\} ([0-9.E]+)$").matcher(metrics);
        assertThat(m.find()).as("%s{outcome=%s} in%n%s", name, outcome, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Counters appear with the first request that reaches the port; before that they count zero. */
    private static double counterOrZero(String metrics, String name, String outcome) {
        return metrics.contains(name + "{outcome=\"" + outcome + "\"}") ? counter(metrics, name, outcome) : 0;
    }

    @Test
    void livenessDoesNoIo_andReadinessChecksTheDatabase() {
        Answer liveness = api.get("/health/liveness");
        Answer readiness = api.get("/health/readiness");

        assertThat(liveness.status()).as(liveness.raw()).isEqualTo(200);
        assertThat(liveness.body().get("status").asText()).isEqualTo("UP");
        assertThat(api.get("/health").body().get("details").has("compositeDiscoveryClient()")).isFalse();
        assertThat(liveness.body().path("details").has("jdbc")).isFalse();
        assertThat(readiness.status()).as(readiness.raw()).isEqualTo(200);
        assertThat(readiness.body().get("details").get("jdbc").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void theClaimCounters_countOneClaimOfEachOutcome() throws Exception {
        String before = text("/prometheus");
        String coupon = CouponApiContract.uniqueName("METRICS");
        api.createCoupon(coupon, 1);

        api.claim("first", coupon);
        api.claim("first", coupon);
        api.claim("second", coupon);
        api.claim("anyone", CouponApiContract.uniqueName("MISSING"));

        String after = text("/prometheus");
        for (String outcome : new String[] {"claimed", "already_claimed", "sold_out", "coupon_not_found"}) {
            assertThat(counter(after, "coupon_claims_total", outcome) - counterOrZero(before, "coupon_claims_total", outcome))
                    .as(outcome).isEqualTo(1.0);
        }
        assertThat(after).contains("coupon_claim_batch_size_count", "http_server_requests_seconds_count",
                "hikaricp_connections", "jvm_memory_used_bytes");
    }

    @Test
    void theApiDocumentAndItsUi_areServed() throws Exception {
        assertThat(text("/swagger/coupon-service-1.yml")).contains("/api/coupons/claim", "ErrorBody");
        assertThat(text("/swagger-ui/index.html")).contains("swagger");
        assertThat(text("/swagger-ui/res/swagger-ui-bundle.js")).isNotEmpty();
    }
}
