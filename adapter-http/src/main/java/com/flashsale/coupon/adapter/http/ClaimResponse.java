package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.flashsale.coupon.domain.ClaimOutcome;

/** The {@code 200} body of a claim: {@code {"coupon_name", "user_id", "status": "claimed"}}. */
record ClaimResponse(@JsonProperty("coupon_name") String couponName,
                     @JsonProperty("user_id") String userId,
                     @JsonProperty("status") String status) {

    static ClaimResponse from(ClaimOutcome.Claimed claimed) {
        return new ClaimResponse(claimed.couponName().value(), claimed.userId().value(), "claimed");
    }
}
