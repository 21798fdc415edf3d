package com.flashsale.coupon.domain.port.in;

/**
 * Something the request needs is out for now (the store, for example), and nothing was done: the
 * same request may succeed if it is tried again later.
 */
public class TemporarilyUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TemporarilyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
