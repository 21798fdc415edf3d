package com.flashsale.coupon.domain.port.in;

/**
 * No answer came before the request's deadline, or the connection was lost while the store
 * committed: the request may or may not have taken effect. Repeating a create or claim with the
 * same request id is safe, and tells which it was; so it is also a failure that may be retried.
 */
public class OutcomeUnknownException extends TemporarilyUnavailableException {

    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(String message) {
        super(message, null);
    }

    public OutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
