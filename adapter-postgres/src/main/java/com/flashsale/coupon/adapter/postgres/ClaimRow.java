package com.flashsale.coupon.adapter.postgres;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code claims}, as Micronaut Data maps it. Claims are written only by the claim
 * batch's set-based insert; the mapping serves the reads.
 */
@MappedEntity("claims")
record ClaimRow(@Id @GeneratedValue Long id, String userId, String couponName, String requestId,
                @GeneratedValue Instant claimedAt) {
}
