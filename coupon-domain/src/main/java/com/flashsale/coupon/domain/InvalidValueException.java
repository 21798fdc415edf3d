package com.flashsale.coupon.domain;

/** A value outside the domain's limits; the message says which limit, in one sentence. */
public final class InvalidValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
        super(message);
    }
}
