package com.flashsale.coupon.adapter.http;

/**
 * Told of every claim the fast path answers, so that {@code http.server.requests} still counts
 * them: Micronaut's metrics filter never sees those requests ({@link FastClaimHandler}).
 */
public interface ClaimTimings {

    /** Observes nothing. */
    ClaimTimings NONE = (status, nanos) -> { };

    /** A claim answered with {@code status}, {@code nanos} after its request was read. */
    void answered(int status, long nanos);
}
