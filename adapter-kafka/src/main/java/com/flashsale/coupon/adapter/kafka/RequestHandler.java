package com.flashsale.coupon.adapter.kafka;

import com.flashsale.coupon.adapter.kafka.Messages.ClaimRequest;
import com.flashsale.coupon.adapter.kafka.Messages.CreateRequest;
import com.flashsale.coupon.adapter.kafka.Messages.GetRequest;
import com.flashsale.coupon.adapter.kafka.Messages.Reply;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.out.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns request records into use-case calls and their results into records: a reply to the
 * requester, a delayed retry when the store is out, or a dead letter when nothing more can be done.
 * A batch is done when every record it produced is acknowledged, so its offsets may be committed.
 */
final class RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
    /** How long past its deadline a reply is still sent; the gateway counts it as late. */
    private static final Duration REPLY_GRACE = Duration.ofMinutes(1);
    /** How long a reply topic found missing (its gateway gone) is skipped without asking Kafka. */
    private static final Duration MISSING_TOPIC_MEMORY = Duration.ofSeconds(30);

    private final FlashSale useCases;
    private final Producer<String, byte[]> producer;
    private final List<Duration> retryBackoffs;
    private final Clock clock;
    private final LongAdder retries = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder staleReplies = new LongAdder();
    /** Reply topics that did not exist, until when to skip them: waiting on their metadata would stall a poll. */
    private final ConcurrentHashMap<String, Long> missingReplyTopics = new ConcurrentHashMap<>();

    RequestHandler(FlashSale useCases, Producer<String, byte[]> producer, List<Duration> retryBackoffs, Clock clock) {
        this.useCases = useCases;
        this.producer = producer;
        this.retryBackoffs = List.copyOf(retryBackoffs);
        this.clock = clock;
    }

    long retries() {
        return retries.sum();
    }

    long deadLetters() {
        return deadLetters.sum();
    }

    long staleReplies() {
        return staleReplies.sum();
    }

    /**
     * Handles records of any request or retry topic. All claims among them go to the use cases in
     * one call, so the claims of one coupon share a store transaction.
     */
    CompletableFuture<Void> handleAll(List<ConsumerRecord<String, byte[]>> records) {
        List<CompletableFuture<?>> done = new ArrayList<>(records.size());
        List<ConsumerRecord<String, byte[]>> claimRecords = new ArrayList<>();
        List<ClaimCoupon> claims = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                switch (KafkaTopics.kind(record.topic())) {
                    case "claim" -> {
                        claims.add(Wire.read(record.value(), ClaimRequest.class).toDomain());
                        claimRecords.add(record);
                    }
                    case "create" -> {
                        var command = Wire.read(record.value(), CreateRequest.class).toDomain();
                        done.add(respond(record, useCases.create(command).thenApply(Reply::from)));
                    }
                    default -> {
                        var name = Wire.read(record.value(), GetRequest.class).toDomain();
                        done.add(respond(record, useCases.find(name).thenApply(Reply::from)));
                    }
                }
            } catch (RuntimeException poison) {
                done.add(deadLetter(record, poison));
            }
        }
        if (!claims.isEmpty()) {
            List<CompletionStage<ClaimOutcome>> outcomes = claimAllSafely(claims);
            for (int i = 0; i < claimRecords.size(); i++) {
                done.add(respond(claimRecords.get(i), outcomes.get(i).thenApply(Reply::from)));
            }
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    private List<CompletionStage<ClaimOutcome>> claimAllSafely(List<ClaimCoupon> claims) {
        try {
            return useCases.claimAll(claims);
        } catch (RuntimeException e) {
            List<CompletionStage<ClaimOutcome>> failed = new ArrayList<>(claims.size());
            for (int i = 0; i < claims.size(); i++) {
                failed.add(CompletableFuture.failedFuture(e));
            }
            return failed;
        }
    }

    private CompletableFuture<?> respond(ConsumerRecord<String, byte[]> record, CompletionStage<Reply> result) {
        return result.handle((reply, failure) -> {
            if (failure == null) {
                // a reply Kafka refuses for good (too large) must not stall the partition
                return reply(record, reply).exceptionallyCompose(refused -> deadLetter(record, unwrap(refused)));
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof StoreUnavailableException) {
                return retryOrDeadLetter(record, cause);
            }
            return deadLetter(record, cause);
        }).thenCompose(sent -> sent).toCompletableFuture();
    }

    /**
     * Sends a reply, best effort: the effect is stored already, and a gateway that is gone (its
     * topic deleted) or gave up long ago must not stall the partition. Only a reply Kafka refuses
     * for good fails, so that the request is dead-lettered and the caller told.
     */
    private CompletableFuture<Object> reply(ConsumerRecord<String, byte[]> record, Reply reply) {
        String replyTo = KafkaHeaders.text(record.headers(), KafkaHeaders.REPLY_TO);
        String correlationId = KafkaHeaders.text(record.headers(), KafkaHeaders.CORRELATION_ID);
        if (replyTo == null || correlationId == null) {
            LOG.warn("request on {} for coupon {} names no reply topic or correlation id; no reply sent",
                    record.topic(), record.key());
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.millis();
        long deadline = KafkaHeaders.number(record.headers(), KafkaHeaders.DEADLINE, Long.MAX_VALUE);
        Long skipUntil = missingReplyTopics.get(replyTo);
        if (deadline < now - REPLY_GRACE.toMillis() || (skipUntil != null && skipUntil > now)) {
            staleReplies.increment();
            return CompletableFuture.completedFuture(null);
        }
        RecordHeaders headers = new RecordHeaders();
        KafkaHeaders.set(headers, KafkaHeaders.CORRELATION_ID, correlationId);
        return send(new ProducerRecord<>(replyTo, null, record.key(), Wire.write(reply), headers))
                .handle((acked, failure) -> {
                    if (failure == null) {
                        return null;
                    }
                    Throwable cause = unwrap(failure);
                    if (cause instanceof RecordTooLargeException) {
                        throw new CompletionException(cause);
                    }
                    if (cause instanceof TimeoutException || cause instanceof UnknownTopicOrPartitionException) {
                        missingReplyTopics.put(replyTo, clock.millis() + MISSING_TOPIC_MEMORY.toMillis());
                    }
                    LOG.warn("reply for coupon {} (correlation {}) not delivered to {}; its caller times out: {}",
                            record.key(), correlationId, replyTo, cause.toString());
                    return null;
                });
    }

    private CompletableFuture<?> retryOrDeadLetter(ConsumerRecord<String, byte[]> record, Throwable cause) {
        int attempt = (int) KafkaHeaders.number(record.headers(), KafkaHeaders.ATTEMPT, 0);
        if (attempt >= retryBackoffs.size()) {
            return deadLetter(record, cause);
        }
        retries.increment();
        Duration backoff = retryBackoffs.get(attempt);
        Headers headers = copyHeaders(record);
        KafkaHeaders.set(headers, KafkaHeaders.ATTEMPT, attempt + 1);
        KafkaHeaders.set(headers, KafkaHeaders.NOT_BEFORE, clock.millis() + backoff.toMillis());
        LOG.warn("store unavailable for coupon {} (correlation {}); retry {} of {} in {} ms: {}", record.key(),
                KafkaHeaders.text(record.headers(), KafkaHeaders.CORRELATION_ID), attempt + 1, retryBackoffs.size(),
                backoff.toMillis(), cause.getMessage());
        return send(new ProducerRecord<>(KafkaTopics.retryOf(record.topic()), null, record.key(), record.value(),
                headers));
    }

    private CompletableFuture<Object> deadLetter(ConsumerRecord<String, byte[]> record, Throwable cause) {
        deadLetters.increment();
        Headers headers = copyHeaders(record);
        KafkaHeaders.set(headers, KafkaHeaders.ERROR_CLASS, cause.getClass().getName());
        KafkaHeaders.set(headers, KafkaHeaders.ERROR_MESSAGE, String.valueOf(cause.getMessage()));
        String deadLetterTopic = KafkaTopics.deadLetterOf(record.topic());
        LOG.error("dead-lettering a request for coupon {} (correlation {}) from {} to {}: {}", record.key(),
                KafkaHeaders.text(record.headers(), KafkaHeaders.CORRELATION_ID), record.topic(), deadLetterTopic,
                cause.toString());
        CompletableFuture<?> parked = send(new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(),
                headers));
        CompletableFuture<?> told = reply(record, Reply.failed("the request was dead-lettered to " + deadLetterTopic
                + ": " + cause.getMessage()));
        return CompletableFuture.allOf(parked, told).thenApply(both -> both);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static Headers copyHeaders(ConsumerRecord<String, byte[]> record) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        if (KafkaHeaders.text(headers, KafkaHeaders.ORIGINAL_TOPIC) == null) {
            KafkaHeaders.set(headers, KafkaHeaders.ORIGINAL_TOPIC, record.topic());
        }
        return headers;
    }

    private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, exception) -> {
                if (exception == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(exception);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
