package com.flashsale.coupon.adapter.kafka.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Every record header of the transport, in one place, with typed access. Values are UTF-8 text.
 * {@link #ATTEMPT} and {@link #NOT_BEFORE} are read and written by the worker's {@code RetryPolicy} only.
 */
public final class KafkaHeaders {

    /** Ties a reply to the request that asked for it. */
    public static final String CORRELATION_ID = "correlation-id";
    /** The topic on which the requesting gateway waits for the reply. */
    public static final String REPLY_TO = "reply-to";
    /**
     * On a request: its gateway reads replies batched in one record ({@code 1}), so the worker may
     * send a poll's replies to it together. Without it, every reply comes in a record of its own.
     */
    public static final String REPLY_BATCHING = "reply-batching";
    /** On a reply record that carries a batch of replies: how many (each names its correlation id). */
    public static final String REPLIES = "replies";
    /**
     * On a claim request record that carries a batch of claims ({@link Messages.ClaimBatch}): how
     * many. Such a record has no {@link #CORRELATION_ID} or {@link #DEADLINE}: each claim names its own.
     */
    public static final String CLAIMS = "claims";
    /** Epoch milliseconds after which the requesting gateway no longer waits. */
    public static final String DEADLINE = "deadline";
    /** How many times the request failed with an outage before this delivery (0 on the first). */
    public static final String ATTEMPT = "attempt";
    /** Epoch milliseconds before which a retry must not run. */
    public static final String NOT_BEFORE = "not-before";
    /** The topic the request was first published to. */
    public static final String ORIGINAL_TOPIC = "original-topic";
    /** On dead letters: the class and message of the last failure. */
    public static final String ERROR_CLASS = "error-class";
    public static final String ERROR_MESSAGE = "error-message";

    private KafkaHeaders() {
    }

    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static long number(Headers headers, String name, long fallback) {
        String value = text(headers, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public static void set(Headers headers, String name, long value) {
        set(headers, name, Long.toString(value));
    }
}
