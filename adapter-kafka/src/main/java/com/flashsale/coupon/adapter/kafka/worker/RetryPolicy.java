package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * When a request that met an outage is tried again, and when it is given up. The only reader and
 * writer of the {@link KafkaHeaders#ATTEMPT} and {@link KafkaHeaders#NOT_BEFORE} headers.
 */
final class RetryPolicy {

    private final List<Duration> backoffs;
    private final Clock clock;

    RetryPolicy(List<Duration> backoffs, Clock clock) {
        this.backoffs = List.copyOf(backoffs);
        this.clock = clock;
    }

    /** How many times the request failed with an outage before this delivery: 0 on the first. */
    static int attemptOf(Headers headers) {
        long attempt = KafkaHeaders.number(headers, KafkaHeaders.ATTEMPT, 0);
        return (int) Math.max(0, Math.min(attempt, Integer.MAX_VALUE));
    }

    /** Epoch milliseconds before which a retry must not run; 0 when it may run at once. */
    static long notBeforeOf(Headers headers) {
        return KafkaHeaders.number(headers, KafkaHeaders.NOT_BEFORE, 0);
    }

    /** A retry after the next back-off, or a dead letter once every retry is spent. */
    Disposition afterOutage(RequestEnvelope request, Throwable cause) {
        if (request.attempt() >= backoffs.size()) {
            return new Disposition.DeadLetter(request, cause);
        }
        Duration backoff = backoffs.get(request.attempt());
        return new Disposition.Retry(request, request.attempt() + 1, clock.millis() + backoff.toMillis(), cause);
    }

    /** The headers of the retry record: the request's own, with the next attempt and its not-before time. */
    Headers headersOf(Disposition.Retry retry) {
        Headers headers = retry.request().forwardedHeaders();
        KafkaHeaders.set(headers, KafkaHeaders.ATTEMPT, retry.attempt());
        KafkaHeaders.set(headers, KafkaHeaders.NOT_BEFORE, retry.notBefore());
        return headers;
    }

    int retries() {
        return backoffs.size();
    }
}
