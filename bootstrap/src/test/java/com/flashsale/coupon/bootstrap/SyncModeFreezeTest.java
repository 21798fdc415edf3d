package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A frozen database (SIGSTOP, as a hung host) in sync mode: every request is answered by its
 * deadline plus a second: {@code 504 timeout} when it may have reached the database (its outcome is
 * unknown), {@code 500} only when it certainly did not (no connection could be had from the pool).
 * Claims succeed again within two seconds of the thaw. The server is embedded and the test's own.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncModeFreezeTest implements TestPropertyProvider {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private EmbeddedPostgresServer postgres;

    @Inject
    EmbeddedServer server;
    private ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        postgres = EmbeddedPostgresServer.startForTests();
        postgres.createDatabase("coupons_freeze");
        return TestService.asStrings(Map.of(
                "datasources.default.url", postgres.jdbcUrl("coupons_freeze"),
                "datasources.default.username", EmbeddedPostgresServer.USER,
                "datasources.default.password", EmbeddedPostgresServer.PASSWORD,
                "datasources.default.data-source-properties.socketTimeout", 3,
                "coupons.kafka.request-timeout", REQUEST_TIMEOUT.toMillis() + "ms",
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

    private static void assertAnsweredWithoutClaimingToKnow(Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isIn(500, 504);
        assertThat(answer.error()).isEqualTo(answer.status() == 504 ? "timeout" : "internal_error");
    }

    @Test
    void whileTheDatabaseIsFrozen_everyRequestIsAnsweredByItsDeadline_andClaimsRecoverAfterTheThaw()
            throws Exception {
        api.createCoupon("FROZEN", 100);
        assertThat(api.claim("before", "FROZEN").status()).isEqualTo(200);

        postgres.freeze();
        List<CompletableFuture<Answer>> during = new ArrayList<>();
        List<Instant> sent = new ArrayList<>();
        List<Duration> waited = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                sent.add(Instant.now());
                during.add(api.claimAsync("during_" + i, "FROZEN"));
            }
            sent.add(Instant.now());
            during.add(api.createAsync("FROZEN_NEW", 5));
            for (int i = 0; i < during.size(); i++) {
                Answer answer = during.get(i).get();
                waited.add(Duration.between(sent.get(i), Instant.now()));
                assertAnsweredWithoutClaimingToKnow(answer);
            }
            assertThat(during.get(0).get().status()).as("the claim that reached the database").isEqualTo(504);
            Instant readSent = Instant.now();
            Answer read = api.coupon("FROZEN");
            waited.add(Duration.between(readSent, Instant.now()));
            assertAnsweredWithoutClaimingToKnow(read);
            // frozen past the driver's socket timeout too; -Dcoupon.test.freeze-seconds=20 for a long freeze
            Thread.sleep(Long.getLong("coupon.test.freeze-seconds", 6) * 1000 - 2_000);
        } finally {
            postgres.thaw();
        }
        Instant thawed = Instant.now();

        assertThat(waited).allSatisfy(d -> assertThat(d).isLessThan(REQUEST_TIMEOUT.plusSeconds(1)));
        Answer fresh = api.claim("after_0", "FROZEN");
        for (int i = 1; fresh.status() != 200 && Duration.between(thawed, Instant.now()).toMillis() < 5_000; i++) {
            Thread.sleep(100);
            fresh = api.claim("after_" + i, "FROZEN");
        }
        assertThat(fresh.status()).as(fresh.raw()).isEqualTo(200);
        assertThat(Duration.between(thawed, Instant.now())).isLessThan(Duration.ofSeconds(2));
    }
}
