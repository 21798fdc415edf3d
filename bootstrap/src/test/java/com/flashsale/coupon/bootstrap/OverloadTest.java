package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Past a queue bound the service answers at once {@code 503 overloaded} with {@code Retry-After},
 * in both transports, and what it did answer stays true. The bounds are set tiny here; the
 * defaults are far above what the benchmark's 256 clients can queue.
 */
class OverloadTest {

    private static void blastAndCheck(TestService service) {
        try (ApiClient api = new ApiClient(service.uri())) {
            String coupon = CouponApiContract.uniqueName("BUSY");
            assertThat(api.createCoupon(coupon, 1_000).status()).isEqualTo(201);
            List<CompletableFuture<Answer>> claims = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                claims.add(api.claimAsync("busy_user_" + i, coupon));
            }

            List<String> granted = new ArrayList<>();
            int overloaded = 0;
            for (int i = 0; i < claims.size(); i++) {
                Answer answer = claims.get(i).join();
                assertThat(answer.status()).as(answer.raw()).isIn(200, 503);
                if (answer.status() == 503) {
                    overloaded++;
                    assertThat(answer.error()).isEqualTo("overloaded");
                    assertThat(answer.header("Retry-After")).contains("1");
                } else {
                    granted.add("busy_user_" + i);
                }
            }

            assertThat(overloaded).as("claims refused as overloaded").isPositive();
            Answer after = api.coupon(coupon);
            List<String> holders = new ArrayList<>();
            after.body().get("claimed_by").forEach(node -> holders.add(node.asText()));
            assertThat(holders).containsExactlyInAnyOrderElementsOf(granted);
            assertThat(after.body().get("remaining_amount").asInt()).isEqualTo(1_000 - granted.size());
        }
    }

    @Test
    void syncMode_pastTheClaimQueueBound_answers503Overloaded_andStoresOnlyWhatItGranted() {
        Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
        properties.put("coupons.event-driven", false);
        properties.put("coupons.max-queued-claims", 1);
        try (TestService service = TestService.start(properties)) {
            blastAndCheck(service);
        }
    }

    @Test
    void eventDrivenMode_pastTheInFlightBound_answers503Overloaded_andStoresOnlyWhatItGranted() {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startForTests()) {
            Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
            properties.putAll(TestKafka.eventDriven(broker));
            properties.put("coupons.kafka.max-in-flight", 2);
            try (TestService service = TestService.start(properties)) {
                blastAndCheck(service);
            }
        }
    }
}
