package com.flashsale.coupon.adapter.kafka;

/** The broker could not be reached at start-up; the message is one sentence an operator can act on. */
public final class KafkaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(String message) {
        super(message);
    }
}
