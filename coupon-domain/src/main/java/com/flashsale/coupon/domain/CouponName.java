package com.flashsale.coupon.domain;

/** A coupon's name: 1–64 characters of {@code A–Z a–z 0–9 _ - .}, case-sensitive, never trimmed. */
public record CouponName(String value) {

    public static final int MAX_LENGTH = 64;

    public CouponName {
        Text.requireLength(value, "coupon name", MAX_LENGTH);
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowed(value.charAt(i))) {
                throw new InvalidValueException("coupon name",
                        "may contain only letters A-Z and a-z, digits, '_', '-' and '.'");
            }
        }
    }

    /** True when {@code value} could name a coupon; lets a reader answer "not found" without a lookup. */
    public static boolean isValid(String value) {
        try {
            new CouponName(value);
            return true;
        } catch (InvalidValueException e) {
            return false;
        }
    }

    private static boolean isAllowed(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.';
    }

    @Override
    public String toString() {
        return value;
    }
}
