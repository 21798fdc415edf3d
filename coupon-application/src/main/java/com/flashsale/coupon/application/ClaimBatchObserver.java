package com.flashsale.coupon.application;

import com.flashsale.coupon.domain.CouponName;

/** Told of every claim batch written to the store; lets the embedding service measure group commit. */
@FunctionalInterface
public interface ClaimBatchObserver {

    /** Observes nothing. */
    ClaimBatchObserver NONE = (coupon, size, nanos) -> { };

    /** One batch of {@code size} claims of {@code coupon} took {@code nanos} in the store. */
    void batchWritten(CouponName coupon, int size, long nanos);
}
