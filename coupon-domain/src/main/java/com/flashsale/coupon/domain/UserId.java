package com.flashsale.coupon.domain;

/** The id of the user who claims: 1–64 characters, no control characters, taken as given. */
public record UserId(String value) {

    public static final int MAX_LENGTH = 64;

    public UserId {
        Text.requirePrintable(Text.requireLength(value, "user id", MAX_LENGTH), "user id");
    }

    @Override
    public String toString() {
        return value;
    }
}
