package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.UserId;
import java.util.List;

/** A coupon as {@code GET /api/coupons/{name}} and a {@code 201} show it; {@code claimed_by} is never omitted. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record CouponResponse(@JsonProperty("name") String name,
                      @JsonProperty("amount") int amount,
                      @JsonProperty("remaining_amount") int remainingAmount,
                      @JsonProperty("claimed_by") List<String> claimedBy) {

    static CouponResponse from(Coupon coupon) {
        return new CouponResponse(coupon.name().value(), coupon.amount().value(), coupon.remainingAmount(),
                coupon.claimedBy().stream().map(UserId::value).toList());
    }
}
