package com.flashsale.coupon.domain.port.out;

import com.flashsale.coupon.domain.port.in.TemporarilyUnavailableException;

/**
 * The store could not be reached or gave up on a transaction; trying again later may succeed.
 * Callers of the inbound port see it as the {@link TemporarilyUnavailableException} it is.
 */
public class StoreUnavailableException extends TemporarilyUnavailableException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
