package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;

/** {@code POST /api/coupons} body: {@code {"name": "PROMO_SUPER", "amount": 100}}. */
record CreateCouponRequest(String name, long amount) {

    static final String NAME = "name";
    static final String AMOUNT = "amount";

    static CreateCouponRequest parse(byte[] body) {
        JsonNode json = JsonBodies.object(body);
        String name = JsonBodies.text(json, NAME);
        return new CreateCouponRequest(name, JsonBodies.wholeNumber(json, AMOUNT));
    }

    CreateCoupon toDomain(RequestId requestId) {
        return new CreateCoupon(requestId,
                JsonBodies.domain(NAME, name, CouponName::new),
                JsonBodies.domain(AMOUNT, amount, StockAmount::of));
    }
}
