package com.flashsale.coupon.adapter.kafka;

import java.util.List;

/** Every topic name of the transport, in one place. */
public final class KafkaTopics {

    public static final String CREATE_REQUESTS = "coupon.create.req";
    public static final String CLAIM_REQUESTS = "coupon.claim.req";
    public static final String GET_REQUESTS = "coupon.get.req";

    public static final String CREATE_RETRY = "coupon.create.retry";
    public static final String CLAIM_RETRY = "coupon.claim.retry";
    public static final String GET_RETRY = "coupon.get.retry";

    public static final String CREATE_DLQ = "coupon.create.dlq";
    public static final String CLAIM_DLQ = "coupon.claim.dlq";
    public static final String GET_DLQ = "coupon.get.dlq";

    public static final String REPLY_PREFIX = "coupon.reply.";

    public static final List<String> REQUESTS = List.of(CREATE_REQUESTS, CLAIM_REQUESTS, GET_REQUESTS);
    public static final List<String> RETRIES = List.of(CREATE_RETRY, CLAIM_RETRY, GET_RETRY);
    public static final List<String> DEAD_LETTERS = List.of(CREATE_DLQ, CLAIM_DLQ, GET_DLQ);

    private KafkaTopics() {
    }

    /** The reply topic of one gateway instance. */
    public static String replyTopic(String instanceId) {
        return REPLY_PREFIX + instanceId;
    }

    /** The retry topic for a request or retry topic. */
    static String retryOf(String topic) {
        return switch (kind(topic)) {
            case "create" -> CREATE_RETRY;
            case "claim" -> CLAIM_RETRY;
            default -> GET_RETRY;
        };
    }

    /** The dead-letter topic for a request or retry topic. */
    static String deadLetterOf(String topic) {
        return switch (kind(topic)) {
            case "create" -> CREATE_DLQ;
            case "claim" -> CLAIM_DLQ;
            default -> GET_DLQ;
        };
    }

    /** {@code create}, {@code claim} or {@code get}: the middle word of a request, retry or DLQ topic. */
    static String kind(String topic) {
        String[] parts = topic.split("\\.");
        if (parts.length != 3 || !parts[0].equals("coupon")
                || !List.of("create", "claim", "get").contains(parts[1])) {
            throw new IllegalArgumentException("not a coupon request topic: " + topic);
        }
        return parts[1];
    }
}
