package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.Messages.BatchedClaim;
import com.flashsale.coupon.adapter.kafka.wire.Messages.ClaimBatch;
import com.flashsale.coupon.adapter.kafka.wire.Messages.ClaimRequest;
import com.flashsale.coupon.adapter.kafka.wire.RequestKind;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One request, read once from its record: what it asks, who waits for the answer and until when,
 * how often it was tried, and its payload, still encoded (a payload that does not decode is
 * dead-lettered, not lost). {@code correlationId} and {@code replyTo} are null when a producer
 * left them out.
 *
 * <p>A record usually carries one request. A gateway's batch of claims for one coupon
 * ({@link ClaimBatch}, header {@link KafkaHeaders#CLAIMS}) carries several: each becomes an
 * envelope of its own, with the claim already decoded ({@code claim}) and no payload of its own,
 * so that a retry or dead letter of one claim carries that claim alone. A batch whose body cannot
 * be read becomes one envelope, {@code unreadable}, which is dead-lettered as it came.
 *
 * @param kind          what the request asks
 * @param topic         the topic it was read from
 * @param key           the record key: the coupon's name
 * @param correlationId ties the reply to the request
 * @param replyTo       the requesting gateway's reply topic
 * @param replyBatching the requesting gateway reads replies batched in one record
 * @param deadline      epoch milliseconds after which its caller no longer waits
 * @param attempt       how many times it failed with an outage before this delivery
 * @param payload       the request message, as published; null for a claim that came in a batch
 * @param headers       the record's headers, carried to a retry or dead letter
 * @param claim         the claim, decoded already, when it came in a batch; otherwise null
 * @param unreadable    why the record could not be read into requests; null when it could
 */
record RequestEnvelope(RequestKind kind, String topic, String key, String correlationId, String replyTo,
                       boolean replyBatching, long deadline, int attempt, byte[] payload, Headers headers,
                       ClaimRequest claim, Wire.MalformedMessageException unreadable) {

    /** The requests that {@code record} carries, in their order: one, or a batch's claims. */
    static List<RequestEnvelope> allOf(ConsumerRecord<String, byte[]> record) {
        RequestKind kind = RequestKind.consumedFrom(record.topic()).orElseThrow(() ->
                new IllegalArgumentException("not a coupon request or retry topic: " + record.topic()));
        Headers headers = record.headers();
        String replyTo = KafkaHeaders.text(headers, KafkaHeaders.REPLY_TO);
        boolean replyBatching = KafkaHeaders.number(headers, KafkaHeaders.REPLY_BATCHING, 0) == 1;
        if (kind != RequestKind.CLAIM || headers.lastHeader(KafkaHeaders.CLAIMS) == null) {
            return List.of(new RequestEnvelope(kind, record.topic(), record.key(),
                    KafkaHeaders.text(headers, KafkaHeaders.CORRELATION_ID), replyTo, replyBatching,
                    KafkaHeaders.number(headers, KafkaHeaders.DEADLINE, Long.MAX_VALUE),
                    RetryPolicy.attemptOf(headers), record.value(), headers, null, null));
        }
        ClaimBatch batch;
        try {
            batch = Wire.read(record.value(), ClaimBatch.class);
        } catch (Wire.MalformedMessageException unreadable) {
            return List.of(new RequestEnvelope(kind, record.topic(), record.key(), null, replyTo, replyBatching,
                    Long.MAX_VALUE, 0, record.value(), headers, null, unreadable));
        }
        List<RequestEnvelope> claims = new ArrayList<>(batch.claims().size());
        for (BatchedClaim claim : batch.claims()) {
            claims.add(new RequestEnvelope(kind, record.topic(), record.key(), claim.correlationId(), replyTo,
                    replyBatching, claim.deadline(), Math.max(0, claim.attempt()), null, headers,
                    claim.toRequest(batch.couponName()), null));
        }
        return claims;
    }

    /** This request alone, encoded: the value of its retry or dead-letter record. */
    byte[] message() {
        return payload != null ? payload : Wire.write(claim);
    }

    /**
     * A copy of the headers to forward with this request alone, naming the topic it was first
     * published to. A claim from a batch gets the headers of a single claim: its own correlation
     * id, deadline and attempt, and no {@link KafkaHeaders#CLAIMS}.
     */
    Headers forwardedHeaders() {
        RecordHeaders copy = new RecordHeaders(headers.toArray());
        if (KafkaHeaders.text(copy, KafkaHeaders.ORIGINAL_TOPIC) == null) {
            KafkaHeaders.set(copy, KafkaHeaders.ORIGINAL_TOPIC, topic);
        }
        if (claim != null) {
            copy.remove(KafkaHeaders.CLAIMS);
            KafkaHeaders.set(copy, KafkaHeaders.CORRELATION_ID, correlationId);
            KafkaHeaders.set(copy, KafkaHeaders.DEADLINE, deadline);
            if (attempt > 0) {
                KafkaHeaders.set(copy, KafkaHeaders.ATTEMPT, attempt);
            }
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
