package com.flashsale.coupon.domain;

/** How many of a coupon exist: a whole number from 1 to 100,000. */
public record StockAmount(int value) {

    public static final int MIN = 1;
    public static final int MAX = 100_000;

    public StockAmount {
        if (value < MIN || value > MAX) {
            throw new InvalidValueException("amount", "must be a whole number from " + MIN + " to " + MAX);
        }
    }

    /** Validates a number that may not fit an {@code int}, such as one parsed from JSON. */
    public static StockAmount of(long value) {
        if (value < MIN || value > MAX) {
            throw new InvalidValueException("amount", "must be a whole number from " + MIN + " to " + MAX);
        }
        return new StockAmount((int) value);
    }
}
