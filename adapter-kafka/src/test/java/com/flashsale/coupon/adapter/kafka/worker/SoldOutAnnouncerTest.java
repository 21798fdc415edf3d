package com.flashsale.coupon.adapter.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SoldOutAnnouncerTest {

    private static Coupon coupon(int amount, int remaining, String... holders) {
        return new Coupon(new CouponName("FLASH"), new StockAmount(amount), remaining,
                List.of(holders).stream().map(UserId::new).toList());
    }

    @Test
    @DisplayName("a coupon with stock left is not final")
    void stockLeft_isNotFinal() {
        assertThat(SoldOutAnnouncer.whyNotFinal(coupon(3, 1, "a", "b"))).contains("1 left");
    }

    @Test
    @DisplayName("a read that shows no stock but fewer holders than issued is not final: it raced the last batch")
    void fewerHoldersThanIssued_isNotFinal() {
        assertThat(SoldOutAnnouncer.whyNotFinal(coupon(3, 0, "a", "b"))).contains("2 holders read of 3 issued");
    }

    @Test
    @DisplayName("no stock and one holder per unit issued is final")
    void soldOutToEveryUnit_isFinal() {
        assertThat(SoldOutAnnouncer.whyNotFinal(coupon(3, 0, "a", "b", "c"))).isEmpty();
    }
}
