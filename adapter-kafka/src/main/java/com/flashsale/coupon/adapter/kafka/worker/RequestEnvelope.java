package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.RequestKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A request record, read once: what it asks, who waits for the answer and until when, how often it
 * was tried, and its payload, still encoded (a payload that does not decode is dead-lettered, not
 * lost). {@code correlationId} and {@code replyTo} are null when a producer left them out.
 *
 * @param kind          what the request asks
 * @param topic         the topic it was read from
 * @param key           the record key: the coupon's name
 * @param correlationId ties the reply to the request
 * @param replyTo       the requesting gateway's reply topic
 * @param replyBatching the requesting gateway reads replies batched in one record
 * @param deadline      epoch milliseconds after which its caller no longer waits
 * @param attempt       how many times it failed with an outage before this delivery
 * @param payload       the request message, as published
 * @param headers       the record's headers, carried to a retry or dead letter
 */
record RequestEnvelope(RequestKind kind, String topic, String key, String correlationId, String replyTo,
                       boolean replyBatching, long deadline, int attempt, byte[] payload, Headers headers) {

    static RequestEnvelope of(ConsumerRecord<String, byte[]> record) {
        RequestKind kind = RequestKind.consumedFrom(record.topic()).orElseThrow(() ->
                new IllegalArgumentException("not a coupon request or retry topic: " + record.topic()));
        Headers headers = record.headers();
        return new RequestEnvelope(kind, record.topic(), record.key(),
                KafkaHeaders.text(headers, KafkaHeaders.CORRELATION_ID),
                KafkaHeaders.text(headers, KafkaHeaders.REPLY_TO),
                KafkaHeaders.number(headers, KafkaHeaders.REPLY_BATCHING, 0) == 1,
                KafkaHeaders.number(headers, KafkaHeaders.DEADLINE, Long.MAX_VALUE),
                RetryPolicy.attemptOf(headers), record.value(), headers);
    }

    /** A copy of the headers to forward, naming the topic the request was first published to. */
    Headers forwardedHeaders() {
        RecordHeaders copy = new RecordHeaders(headers.toArray());
        if (KafkaHeaders.text(copy, KafkaHeaders.ORIGINAL_TOPIC) == null) {
            KafkaHeaders.set(copy, KafkaHeaders.ORIGINAL_TOPIC, topic);
        }
        return copy;
    }

    /** True when this request's reply may travel in one record with others to the same gateway. */
    boolean repliesInBatch() {
        return kind == RequestKind.CLAIM && replyBatching && replyTo != null && correlationId != null;
    }

    /** For logs: the coupon and the correlation id. */
    String describe() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " for coupon " + key + " (correlation " + correlationId + ")";
    }
}
