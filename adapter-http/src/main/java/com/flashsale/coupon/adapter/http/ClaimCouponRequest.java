package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.UserId;

/** {@code POST /api/coupons/claim} body: {@code {"user_id": "user_12345", "coupon_name": "PROMO_SUPER"}}. */
record ClaimCouponRequest(String userId, String couponName) {

    static final String USER_ID = "user_id";
    static final String COUPON_NAME = "coupon_name";

    static ClaimCouponRequest parse(byte[] body) {
        JsonNode json = JsonBodies.object(body);
        String userId = JsonBodies.text(json, USER_ID);
        return new ClaimCouponRequest(userId, JsonBodies.text(json, COUPON_NAME));
    }

    ClaimCoupon toDomain(RequestId requestId) {
        return new ClaimCoupon(requestId,
                JsonBodies.domain(USER_ID, userId, UserId::new),
                JsonBodies.domain(COUPON_NAME, couponName, CouponName::new));
    }
}
