package com.flashsale.coupon.domain;

/**
 * A value outside the domain's limits. The message says which value and which limit, in one
 * sentence; {@link #rule()} is the limit alone, for an adapter that names the value its own way
 * (a header rather than a field).
 */
public final class InvalidValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String rule;

    public InvalidValueException(String subject, String rule) {
        super(subject + " " + rule);
        this.rule = rule;
    }

    /** The limit the value broke, as the end of a sentence: {@code "must be at most 64 characters"}. */
    public String rule() {
        return rule;
    }
}
