package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** The documented shape of a create body; the controller reads bodies strictly by hand (JsonBodies). */
@Schema(name = "CreateCoupon", requiredProperties = {"name", "amount"})
record CreateCouponBody(
        @Schema(description = "1-64 characters of A-Z a-z 0-9 _ - . (case-sensitive, never trimmed)",
                example = "PROMO_SUPER", minLength = 1, maxLength = 64, pattern = "^[A-Za-z0-9_.-]{1,64}$")
        @JsonProperty("name") String name,
        @Schema(description = "A whole number of coupons", example = "100", minimum = "1", maximum = "100000")
        @JsonProperty("amount") int amount) {
}
