package com.flashsale.coupon.domain;

/** Checks shared by the text value types; lengths count Unicode code points, as PostgreSQL does. */
final class Text {

    private Text() {
    }

    static String requireLength(String value, String what, int max) {
        if (value == null) {
            throw new InvalidValueException(what, "is required");
        }
        if (value.isEmpty()) {
            throw new InvalidValueException(what, "must not be empty");
        }
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            throw new InvalidValueException(what, "must be at most " + max + " characters");
        }
        return value;
    }

    /**
     * Control characters and lone surrogates are refused: the first cannot be shown, the second
     * cannot be stored as UTF-8 and would be silently replaced, turning one id into another.
     */
    static String requirePrintable(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidValueException(what, "must not contain control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidValueException(what, "must be valid Unicode text");
            }
        }
        return value;
    }
}
