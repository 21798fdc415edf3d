package com.flashsale.coupon.adapter.kafka;

import java.util.function.Function;

/**
 * What becomes of one request once the worker has handled it: a reply to its caller, a delayed
 * retry after an outage, a dead letter when nothing more can be done, or nothing at all for a
 * claim whose caller stopped waiting before it could be applied. {@link #fold} makes a new case
 * fail to compile until the publisher handles it.
 */
sealed interface Disposition {

    RequestEnvelope request();

    <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter,
               Function<Expired, T> expired);

    /** The request was served; {@code message} goes to the caller's reply topic. */
    record Reply(RequestEnvelope request, Messages.Reply message) implements Disposition {
        @Override
        public <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter,
                          Function<Expired, T> expired) {
            return reply.apply(this);
        }
    }

    /** The request met an outage; it goes to its retry topic, to run again at {@code notBefore}. */
    record Retry(RequestEnvelope request, int attempt, long notBefore, Throwable cause) implements Disposition {
        @Override
        public <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter,
                          Function<Expired, T> expired) {
            return retry.apply(this);
        }
    }

    /** The request cannot be served; it is parked on its dead-letter topic and its caller is told. */
    record DeadLetter(RequestEnvelope request, Throwable cause) implements Disposition {
        @Override
        public <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter,
                          Function<Expired, T> expired) {
            return deadLetter.apply(this);
        }
    }

    /**
     * A claim whose deadline passed before it was applied: it is not applied, so that stock goes
     * only to callers still waiting. Its caller has been answered {@code timeout} already.
     */
    record Expired(RequestEnvelope request) implements Disposition {
        @Override
        public <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter,
                          Function<Expired, T> expired) {
            return expired.apply(this);
        }
    }
}
