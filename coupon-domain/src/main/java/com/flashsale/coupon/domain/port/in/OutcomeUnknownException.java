package com.flashsale.coupon.domain.port.in;

/**
 * No answer came before the request's deadline: the request may or may not have taken effect.
 * Repeating a create or claim with the same request id is safe, and tells which it was.
 */
public class OutcomeUnknownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(String message) {
        super(message);
    }
}
