package com.flashsale.coupon.adapter.kafka;

import java.util.function.Function;

/**
 * What becomes of one request once the worker has handled it: a reply to its caller, a delayed
 * retry after an outage, or a dead letter when nothing more can be done. {@link #fold} makes a new
 * case fail to compile until the publisher sends it.
 */
sealed interface Disposition {

    RequestEnvelope request();

    <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter);

    /** The request was served; {@code message} goes to the caller's reply topic. */
    record Reply(RequestEnvelope request, Messages.Reply message) implements Disposition {
        @Override
        public <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter) {
            return reply.apply(this);
        }
    }

    /** The request met an outage; it goes to its retry topic, to run again at {@code notBefore}. */
    record Retry(RequestEnvelope request, int attempt, long notBefore, Throwable cause) implements Disposition {
        @Override
        public <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter) {
            return retry.apply(this);
        }
    }

    /** The request cannot be served; it is parked on its dead-letter topic and its caller is told. */
    record DeadLetter(RequestEnvelope request, Throwable cause) implements Disposition {
        @Override
        public <T> T fold(Function<Reply, T> reply, Function<Retry, T> retry, Function<DeadLetter, T> deadLetter) {
            return deadLetter.apply(this);
        }
    }
}
