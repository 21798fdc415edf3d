package com.flashsale.coupon.domain;

import java.util.function.Function;

/**
 * How a claim ended. Callers handle every case through {@link #fold}, so a new case does not
 * compile until each of them says what it means.
 */
public sealed interface ClaimOutcome {

    CouponName couponName();

    UserId userId();

    <R> R fold(Function<Claimed, R> claimed,
               Function<AlreadyClaimed, R> alreadyClaimed,
               Function<SoldOut, R> soldOut,
               Function<CouponNotFound, R> couponNotFound);

    /** The user now holds the coupon (or already did, through this very request). */
    record Claimed(CouponName couponName, UserId userId) implements ClaimOutcome {
        @Override
        public <R> R fold(Function<Claimed, R> claimed, Function<AlreadyClaimed, R> alreadyClaimed,
                          Function<SoldOut, R> soldOut, Function<CouponNotFound, R> couponNotFound) {
            return claimed.apply(this);
        }
    }

    /** The user holds the coupon through an earlier, different request. */
    record AlreadyClaimed(CouponName couponName, UserId userId) implements ClaimOutcome {
        @Override
        public <R> R fold(Function<Claimed, R> claimed, Function<AlreadyClaimed, R> alreadyClaimed,
                          Function<SoldOut, R> soldOut, Function<CouponNotFound, R> couponNotFound) {
            return alreadyClaimed.apply(this);
        }
    }

    /** No stock was left for this user. */
    record SoldOut(CouponName couponName, UserId userId) implements ClaimOutcome {
        @Override
        public <R> R fold(Function<Claimed, R> claimed, Function<AlreadyClaimed, R> alreadyClaimed,
                          Function<SoldOut, R> soldOut, Function<CouponNotFound, R> couponNotFound) {
            return soldOut.apply(this);
        }
    }

    /** No coupon has this name. */
    record CouponNotFound(CouponName couponName, UserId userId) implements ClaimOutcome {
        @Override
        public <R> R fold(Function<Claimed, R> claimed, Function<AlreadyClaimed, R> alreadyClaimed,
                          Function<SoldOut, R> soldOut, Function<CouponNotFound, R> couponNotFound) {
            return couponNotFound.apply(this);
        }
    }
}
