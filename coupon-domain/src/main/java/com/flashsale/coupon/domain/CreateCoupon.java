package com.flashsale.coupon.domain;

import java.util.Objects;

/** The request to create a coupon with a fixed stock. */
public record CreateCoupon(RequestId requestId, CouponName name, StockAmount amount) {

    public CreateCoupon {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(amount, "amount");
    }
}
