package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A coupon at the amount limit, sold out to users with the longest ids, reads in both modes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeCouponTest {

    private static final int HOLDERS = 100_000;

    private KafkaBrokerProcess broker;
    private TestService sync;
    private TestService eventDriven;

    @BeforeAll
    void start() throws Exception {
        broker = KafkaBrokerProcess.startForTests();
        Map<String, Object> database = TestPostgres.freshDatabase();
        Map<String, Object> syncProperties = new HashMap<>(database);
        syncProperties.put("coupons.event-driven", false);
        sync = TestService.start(syncProperties);
        Map<String, Object> eventProperties = new HashMap<>(database);
        eventProperties.putAll(TestKafka.eventDriven(broker));
        eventProperties.put("coupons.kafka.request-timeout", "30s");
        eventDriven = TestService.start(eventProperties);

        try (ApiClient api = new ApiClient(sync.uri())) {
            assertThat(api.createCoupon("BIG", HOLDERS).status()).isEqualTo(201);
        }
        // 100,000 claims through the API would test the API, not the size of the answer; insert them
        try (Connection connection = DriverManager.getConnection((String) database.get("datasources.default.url"),
                (String) database.get("datasources.default.username"),
                (String) database.get("datasources.default.password"));
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO claims (user_id, coupon_name, request_id) "
                    + "SELECT lpad(g::text, 64, 'u'), 'BIG', 'r' || g FROM generate_series(1, " + HOLDERS + ") g");
            statement.execute("UPDATE coupons SET remaining_amount = 0 WHERE name = 'BIG'");
        }
    }

    @AfterAll
    void stop() {
        eventDriven.close();
        sync.close();
        broker.close();
    }

    private static void assertFullCoupon(Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode holders = answer.body().get("claimed_by");
        assertThat(holders.size()).isEqualTo(HOLDERS);
        assertThat(holders.get(0).asText()).hasSize(64).endsWith("1");
        assertThat(holders.get(HOLDERS - 1).asText()).hasSize(64).endsWith("100000");
        assertThat(answer.body().get("remaining_amount").asInt()).isZero();
    }

    @Test
    void syncMode_readsACouponWithAHundredThousandHolders() {
        try (ApiClient api = new ApiClient(sync.uri())) {
            assertFullCoupon(api.coupon("BIG"));
        }
    }

    @Test
    void eventDrivenMode_readsACouponWithAHundredThousandHolders() {
        try (ApiClient api = new ApiClient(eventDriven.uri())) {
            Answer answer = api.coupon("BIG");
            assertThat(answer.raw().length()).isGreaterThan(6_000_000);
            assertFullCoupon(answer);
        }
    }
}
