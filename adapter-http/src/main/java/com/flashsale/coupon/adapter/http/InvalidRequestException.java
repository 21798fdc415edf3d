package com.flashsale.coupon.adapter.http;

/** A request body that cannot become a command; {@code field} names the JSON field, when there is one. */
final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    InvalidRequestException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }

    ErrorBody toBody() {
        return new ErrorBody(ErrorCodes.INVALID_REQUEST, getMessage(), field);
    }
}
