package com.flashsale.coupon.domain;

import java.util.function.Function;

/** How a create ended; handled through {@link #fold} like {@link ClaimOutcome}. */
public sealed interface CreateOutcome {

    <R> R fold(Function<Created, R> created, Function<AlreadyExists, R> alreadyExists);

    /** The coupon exists as this request made it (also when the request is a redelivery). */
    record Created(Coupon coupon) implements CreateOutcome {
        @Override
        public <R> R fold(Function<Created, R> created, Function<AlreadyExists, R> alreadyExists) {
            return created.apply(this);
        }
    }

    /** Another request created a coupon of this name first. */
    record AlreadyExists(CouponName name) implements CreateOutcome {
        @Override
        public <R> R fold(Function<Created, R> created, Function<AlreadyExists, R> alreadyExists) {
            return alreadyExists.apply(this);
        }
    }
}
