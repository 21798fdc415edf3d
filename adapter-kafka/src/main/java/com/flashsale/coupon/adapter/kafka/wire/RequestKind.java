package com.flashsale.coupon.adapter.kafka.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The three kinds of request, each with the topic it is published to, its retry topic and its dead-letter topic. */
public enum RequestKind {
    CREATE(KafkaTopics.CREATE_REQUESTS, KafkaTopics.CREATE_RETRY, KafkaTopics.CREATE_DLQ),
    CLAIM(KafkaTopics.CLAIM_REQUESTS, KafkaTopics.CLAIM_RETRY, KafkaTopics.CLAIM_DLQ),
    GET(KafkaTopics.GET_REQUESTS, KafkaTopics.GET_RETRY, KafkaTopics.GET_DLQ);

    private final String requestTopic;
    private final String retryTopic;
    private final String deadLetterTopic;

    RequestKind(String requestTopic, String retryTopic, String deadLetterTopic) {
        this.requestTopic = requestTopic;
        this.retryTopic = retryTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    public String requestTopic() {
        return requestTopic;
    }

    public String retryTopic() {
        return retryTopic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /** The kind whose request or retry topic this is; empty for any other topic. */
    public static Optional<RequestKind> consumedFrom(String topic) {
        for (RequestKind kind : values()) {
            if (kind.requestTopic.equals(topic) || kind.retryTopic.equals(topic)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Every request, retry and dead-letter topic: the topics this service shares between its instances. */
    public static List<String> sharedTopics() {
        return Arrays.stream(values())
                .flatMap(kind -> List.of(kind.requestTopic, kind.retryTopic, kind.deadLetterTopic).stream())
                .toList();
    }
}
