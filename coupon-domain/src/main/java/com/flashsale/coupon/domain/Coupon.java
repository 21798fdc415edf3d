package com.flashsale.coupon.domain;

import java.util.List;
import java.util.Objects;

/** A coupon as readers see it: its stock, what is left, and who holds one, in claim order. */
public record Coupon(CouponName name, StockAmount amount, int remainingAmount, List<UserId> claimedBy) {

    public Coupon {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(amount, "amount");
        claimedBy = List.copyOf(claimedBy);
        if (remainingAmount < 0 || remainingAmount > amount.value()) {
            throw new IllegalStateException(
                    "coupon " + name + " has remaining " + remainingAmount + " outside 0.." + amount.value());
        }
    }

    /**
     * True when this coupon can never change again: no stock left, and one holder for every unit
     * issued. Stock never grows, and every claim takes its unit in the transaction that stores it,
     * so nothing can be added to a coupon once it was read so.
     */
    public boolean isFinal() {
        return remainingAmount == 0 && claimedBy.size() == amount.value();
    }

    /** A coupon nobody has claimed yet. */
    public static Coupon fresh(CouponName name, StockAmount amount) {
        return new Coupon(name, amount, amount.value(), List.of());
    }
}
