package com.flashsale.coupon.adapter.postgres;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code coupons}, as Micronaut Data maps it (columns named by the snake_case strategy). */
@MappedEntity("coupons")
record CouponRow(@Id String name, int amount, int remainingAmount, String requestId,
                 @GeneratedValue Instant createdAt) {
}
