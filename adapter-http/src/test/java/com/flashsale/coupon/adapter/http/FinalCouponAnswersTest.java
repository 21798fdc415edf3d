package com.flashsale.coupon.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinalCouponAnswersTest {

    private static Coupon coupon(String name, int amount, int remaining, String... holders) {
        return new Coupon(new CouponName(name), new StockAmount(amount), remaining,
                List.of(holders).stream().map(UserId::new).toList());
    }

    @Test
    void aFinalCoupon_isKept_andOneThatMayStillChange_isNot() {
        FinalCouponAnswers answers = new FinalCouponAnswers(1000);
        answers.offer(coupon("SOLD", 2, 0, "a", "b"), new byte[] {1});
        answers.offer(coupon("SELLING", 2, 1, "a"), new byte[] {2});

        assertThat(answers.get("SOLD")).containsExactly(1);
        assertThat(answers.get("SELLING")).isNull();
    }

    @Test
    void pastItsBound_theLeastRecentlyReadAnswerLeavesFirst() {
        FinalCouponAnswers answers = new FinalCouponAnswers(10);
        answers.offer(coupon("A", 1, 0, "a"), new byte[4]);
        answers.offer(coupon("B", 1, 0, "b"), new byte[4]);
        answers.get("A");
        answers.offer(coupon("C", 1, 0, "c"), new byte[4]);

        assertThat(answers.get("A")).isNotNull();
        assertThat(answers.get("B")).isNull();
        assertThat(answers.get("C")).isNotNull();
        answers.offer(coupon("HUGE", 1, 0, "h"), new byte[11]);
        assertThat(answers.get("HUGE")).isNull();
    }
}
