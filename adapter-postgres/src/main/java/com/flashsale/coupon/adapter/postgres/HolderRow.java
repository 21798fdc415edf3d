package com.flashsale.coupon.adapter.postgres;

import io.micronaut.core.annotation.Introspected;

/** A holder of a coupon and the request that made the claim: a projection of {@code claims}. */
@Introspected
record HolderRow(String userId, String requestId) {
}
