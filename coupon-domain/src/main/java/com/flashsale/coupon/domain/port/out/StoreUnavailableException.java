package com.flashsale.coupon.domain.port.out;

/** The store could not be reached or gave up on a transaction; trying again later may succeed. */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
