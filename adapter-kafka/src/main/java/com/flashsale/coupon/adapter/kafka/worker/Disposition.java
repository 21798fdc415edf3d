package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.wire.Messages;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CreateOutcome;
import java.util.Optional;
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

    /** The request was served; {@code answer} goes to the caller's reply topic, encoded by the publisher. */
    record Reply(RequestEnvelope request, Answer answer) implements Disposition {
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

    /**
     * What the use cases answered, in the domain's terms. Only {@link DispositionPublisher} turns it
     * into a message; the worker decides on the outcome itself (a claim that found its coupon sold
     * out), never on the text of a wire message.
     */
    sealed interface Answer {

        /** The reply message for this answer; called by the publisher alone. */
        Messages.Reply encode();

        record Claim(ClaimOutcome outcome) implements Answer {
            @Override
            public Messages.Reply encode() {
                return Messages.Reply.from(outcome);
            }
        }

        record Create(CreateOutcome outcome) implements Answer {
            @Override
            public Messages.Reply encode() {
                return Messages.Reply.from(outcome);
            }
        }

        record Found(Optional<Coupon> coupon) implements Answer {
            @Override
            public Messages.Reply encode() {
                return Messages.Reply.from(coupon);
            }
        }
    }
}
