package com.flashsale.coupon.domain;

import java.util.UUID;

/**
 * Identifies one create or claim request across redeliveries, so that applying it twice has the
 * effect of applying it once. 1–64 characters, no control characters.
 */
public record RequestId(String value) {

    public static final int MAX_LENGTH = 64;

    public RequestId {
        Text.requirePrintable(Text.requireLength(value, "request id", MAX_LENGTH), "request id");
    }

    /** A fresh id, for a request whose client sent none. */
    public static RequestId random() {
        return new RequestId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
