package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** The documented shape of a claim body; the controller reads bodies strictly by hand (JsonBodies). */
@Schema(name = "ClaimCoupon", requiredProperties = {"user_id", "coupon_name"})
record ClaimCouponBody(
        @Schema(description = "1-64 characters, no control characters, taken as given", example = "user_12345",
                minLength = 1, maxLength = 64, pattern = "^[^\\x00-\\x1F\\x7F-\\x9F]*$")
        @JsonProperty("user_id") String userId,
        @Schema(description = "The coupon's name", example = "PROMO_SUPER", pattern = "^[A-Za-z0-9_.-]{1,64}$")
        @JsonProperty("coupon_name") String couponName) {
}
