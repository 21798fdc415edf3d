package com.flashsale.coupon.domain;

import java.util.Objects;

/** The request of one user to claim one coupon. */
public record ClaimCoupon(RequestId requestId, UserId userId, CouponName couponName) {

    public ClaimCoupon {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(couponName, "couponName");
    }
}
