package com.flashsale.coupon.adapter.kafka;

/**
 * Everything the transport counts, pushed as it happens: the gateway's replies, timeouts and
 * sold-out answers, the worker's retries, dead letters and skipped work. The adapter keeps no
 * counters of its own; bootstrap turns these calls into meters. Every method does nothing unless
 * overridden, so that a test observes only what it asks about.
 */
public interface TransportObserver {

    /** Observes nothing: for unit tests, and for a service without meters. */
    TransportObserver NONE = new TransportObserver() { };

    /** A reply came, {@code nanos} after its request was published. */
    default void replied(long nanos) {
    }

    /** A caller was answered {@code timeout}: no reply came before its deadline. */
    default void timedOut() {
    }

    /** A reply came after its caller had been answered {@code timeout}. */
    default void lateReply() {
    }

    /** The gateway published a claim request record that carries {@code claims} claims (1 when alone). */
    default void claimRecordSent(int claims) {
    }

    /** The gateway answered a claim {@code sold_out} itself, without Kafka. */
    default void answeredAtTheEdge() {
    }

    /** The worker sent a request to its retry topic after a store outage. */
    default void retried() {
    }

    /** The worker sent a request to its dead-letter topic. */
    default void deadLettered() {
    }

    /** The worker did not apply a claim: its caller's deadline had passed. */
    default void expired() {
    }

    /** The worker sent no reply to {@code count} requests: their callers gave up long ago, or the reply topic is gone. */
    default void staleReplies(int count) {
    }
}
