package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With the database gone, the service says so: 500 on calls, 503 on health; it recovers by itself.
 * Its PostgreSQL is embedded and its own: the test stops it and starts it again on the same port.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncModeOutageTest implements TestPropertyProvider {

    private EmbeddedPostgresServer postgres;

    @Inject
    EmbeddedServer server;
    private ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        postgres = EmbeddedPostgresServer.startForTests();
        postgres.createDatabase("coupons_outage");
        return TestService.asStrings(Map.of(
                "datasources.default.url", postgres.jdbcUrl("coupons_outage"),
                "datasources.default.username", EmbeddedPostgresServer.USER,
                "datasources.default.password", EmbeddedPostgresServer.PASSWORD,
                "coupons.event-driven", false));
    }

    @BeforeAll
    void connect() {
        TestService.awaitHealthy(server.getURI());
        api = new ApiClient(server.getURI());
    }

    @AfterAll
    void stop() {
        api.close();
        postgres.close();
    }

    @Test
    void givenTheDatabaseStops_callsAnswer500AndHealth503_andBothRecoverWhenItReturns() throws Exception {
        api.createCoupon("OUTAGE", 10);
        assertThat(api.claim("before", "OUTAGE").status()).isEqualTo(200);

        postgres.stop();
        Instant stoppedAt = Instant.now();
        Answer claim = api.claim("during", "OUTAGE");
        Duration failedAfter = Duration.between(stoppedAt, Instant.now());
        Answer health = api.get("/health");

        assertThat(claim.status()).as(claim.raw()).isEqualTo(500);
        assertThat(claim.error()).isEqualTo("internal_error");
        assertThat(failedAfter).as("a dead database is noticed inside the deadline").isLessThan(Duration.ofSeconds(5));
        assertThat(health.status()).as(health.raw()).isEqualTo(503);
        assertThat(api.coupon("OUTAGE").status()).isEqualTo(500);

        postgres.start();
        Instant back = Instant.now();
        Answer after = api.claim("after_0", "OUTAGE");
        for (int i = 1; after.status() != 200 && Duration.between(back, Instant.now()).toSeconds() < 20; i++) {
            Thread.sleep(50);
            after = api.claim("after_" + i, "OUTAGE");
        }
        Duration toFirstClaim = Duration.between(back, Instant.now());
        System.out.println("first claim after PostgreSQL came back: " + toFirstClaim.toMillis() + " ms");
        assertThat(after.status()).as(after.raw()).isEqualTo(200);
        assertThat(toFirstClaim).as("PostgreSQL is used again soon after it is back").isLessThan(Duration.ofSeconds(2));
        assertThat(eventually(() -> api.get("/health").status() == 200)).isTrue();
        assertThat(api.existingCoupon("OUTAGE").get("remaining_amount").asInt()).isEqualTo(8);
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
