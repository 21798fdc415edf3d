package com.flashsale.coupon.adapter.http;

/** The {@code error} codes of the API's JSON error bodies; the README lists them with their statuses. */
public final class ErrorCodes {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String COUPON_EXISTS = "coupon_exists";
    public static final String COUPON_NOT_FOUND = "coupon_not_found";
    public static final String ALREADY_CLAIMED = "already_claimed";
    public static final String SOLD_OUT = "sold_out";
    public static final String TIMEOUT = "timeout";
    public static final String INTERNAL_ERROR = "internal_error";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String OVERLOADED = "overloaded";
    // our additions, for what the framework answers before a controller runs
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String NOT_ACCEPTABLE = "not_acceptable";

    private ErrorCodes() {
    }
}
