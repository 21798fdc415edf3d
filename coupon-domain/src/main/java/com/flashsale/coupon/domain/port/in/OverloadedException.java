package com.flashsale.coupon.domain.port.in;

/**
 * The service has as much work queued as it can answer in time, so it took none of this request:
 * nothing was done, and the same request may be sent again after a moment.
 */
public class OverloadedException extends TemporarilyUnavailableException {

    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message, null);
    }
}
