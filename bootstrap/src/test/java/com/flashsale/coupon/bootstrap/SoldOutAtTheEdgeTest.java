package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.adapter.kafka.gateway.SoldOutTopic;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.domain.CouponName;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Event-driven mode answers claims on a sold-out coupon at the gateway, from the holders' filter
 * the worker announced on {@code coupon.sold-out}; holders still go to the worker, which knows
 * their request ids. Real broker, real PostgreSQL.
 */
@MicronautTest(transactional = false)
class SoldOutAtTheEdgeTest extends EventDrivenServiceTest {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Inject
    ApplicationContext context;

    private Map<String, String> properties;

    @Override
    public Map<String, String> getProperties() {
        properties = super.getProperties();
        return properties;
    }

    @Test
    @DisplayName("after the sale, a new user is told sold_out at the edge; a holder gets already_claimed,"
            + " or claimed again for its own request, from the worker")
    void claimsOfASoldOutCoupon_areAnsweredAtTheEdge_exceptThoseOfPossibleHolders() {
        SoldOutTopic soldOut = context.getBean(SoldOutTopic.class);
        try (ApiClient api = new ApiClient(server.getURI())) {
            String coupon = CouponApiContract.uniqueName("EDGE");
            assertThat(api.createCoupon(coupon, 2).status()).isEqualTo(201);
            assertThat(claim(api, "holder-1", coupon, "key-1").status()).isEqualTo(200);
            assertThat(claim(api, "holder-2", coupon, "key-2").status()).isEqualTo(200);
            assertThat(errorOf(api.claim("first-late-user", coupon))).isEqualTo("sold_out");
            awaitKnown(soldOut, coupon);
            long before = edgeAnswers(context);

            assertThat(errorOf(api.claim("new-user", coupon))).isEqualTo("sold_out");
            assertThat(edgeAnswers(context)).as("the new user was answered at the edge").isEqualTo(before + 1);

            assertThat(errorOf(claim(api, "holder-1", coupon, "another-key"))).isEqualTo("already_claimed");
            Answer repeated = claim(api, "holder-1", coupon, "key-1");
            assertThat(repeated.status()).as(repeated.raw()).isEqualTo(200);
            assertThat(repeated.body().get("status").asText()).isEqualTo("claimed");
            assertThat(edgeAnswers(context)).as("holders went to the worker").isEqualTo(before + 1);

            for (int i = 0; i < 200; i++) {
                assertThat(errorOf(api.claim("wave-" + i, coupon))).isEqualTo("sold_out");
            }
            assertThat(edgeAnswers(context) - before - 1).as("wave claims answered at the edge").isGreaterThan(190);

            Answer read = api.coupon(coupon);
            assertThat(read.body().get("remaining_amount").asInt()).isZero();
            assertThat(read.body().get("claimed_by").toString()).isEqualTo("[\"holder-1\",\"holder-2\"]");
        }
    }

    @Test
    @DisplayName("an instance that starts after the sale knows the coupon is sold out before it reports ready")
    void anInstanceStartedAfterTheSale_knowsBeforeItServes() {
        SoldOutTopic soldOut = context.getBean(SoldOutTopic.class);
        String coupon = CouponApiContract.uniqueName("LATE");
        try (ApiClient api = new ApiClient(server.getURI())) {
            assertThat(api.createCoupon(coupon, 1).status()).isEqualTo(201);
            assertThat(api.claim("only-holder", coupon).status()).isEqualTo(200);
            assertThat(errorOf(api.claim("too-late", coupon))).isEqualTo("sold_out");
            awaitKnown(soldOut, coupon);
        }
        Map<String, Object> late = new HashMap<>(properties);
        late.put("coupons.kafka.instance-id", "late-joiner-" + System.nanoTime());
        try (TestService joiner = TestService.start(late); ApiClient api = new ApiClient(joiner.uri())) {
            SoldOutTopic its = joiner.context().getBean(SoldOutTopic.class);
            assertThat(its.knows(new CouponName(coupon))).as("known when it reported ready").isTrue();

            assertThat(errorOf(api.claim("another-late-user", coupon))).isEqualTo("sold_out");
            assertThat(edgeAnswers(joiner.context())).isEqualTo(1);
            assertThat(errorOf(api.claim("only-holder", coupon))).isEqualTo("already_claimed");
            assertThat(edgeAnswers(joiner.context())).isEqualTo(1);
        }
    }

    private static Answer claim(ApiClient api, String user, String coupon, String key) {
        return api.post("/api/coupons/claim", "application/json",
                ApiClient.json(Map.of("user_id", user, "coupon_name", coupon)), Map.of(IDEMPOTENCY_KEY, key));
    }

    private static String errorOf(Answer answer) {
        assertThat(answer.status()).as("status of %s", answer.raw()).isEqualTo(409);
        return answer.body().get("error").asText();
    }

    private static long edgeAnswers(ApplicationContext context) {
        return MeterCounts.of(context, "coupon.kafka.sold.out.edge.answers");
    }

    private static void awaitKnown(SoldOutTopic soldOut, String coupon) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!soldOut.knows(new CouponName(coupon))) {
            assertThat(System.nanoTime()).as("the gateway learned that %s sold out within 15 s", coupon)
                    .isLessThan(giveUp);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
