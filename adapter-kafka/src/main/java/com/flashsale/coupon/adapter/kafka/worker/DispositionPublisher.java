package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.TransportObserver;
import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.Messages.Reply;
import com.flashsale.coupon.adapter.kafka.wire.Messages;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each disposition where it belongs: a reply to the caller's reply topic, a retry to the
 * kind's retry topic, a dead letter to its dead-letter topic (and a {@code failed} reply to the
 * caller). A stage completes when Kafka has acknowledged what had to be kept; it fails only when
 * a retry or dead letter could not be kept, and then the batch must be read again.
 */
final class DispositionPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(DispositionPublisher.class);
    /** How long past its deadline a reply is still sent; the gateway counts it as late. */
    private static final Duration REPLY_GRACE = Duration.ofMinutes(1);
    /** How long a reply topic found missing (its gateway gone) is skipped without asking Kafka. */
    private static final Duration MISSING_TOPIC_MEMORY = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final TransportObserver observer;
    /** Reply topics that did not exist, until when to skip them: waiting on their metadata would stall a poll. */
    private final ConcurrentHashMap<String, Long> missingReplyTopics = new ConcurrentHashMap<>();

    DispositionPublisher(Producer<String, byte[]> producer, RetryPolicy retryPolicy, Clock clock,
                         TransportObserver observer) {
        this.producer = producer;
        this.observer = observer;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
    }

    CompletableFuture<Void> publish(Disposition disposition) {
        return disposition.fold(this::reply, this::retry, this::deadLetter, this::expired);
    }

    /**
     * Publishes a poll's dispositions: the claims' replies to each gateway that reads batches go
     * in one record ({@link Messages.ReplyBatch}), one per reply topic; everything else as
     * {@link #publish} does. Fewer records mean less work in every client and in the broker.
     */
    CompletableFuture<Void> publishAll(List<Disposition> dispositions) {
        Map<String, List<Disposition.Reply>> byReplyTopic = new LinkedHashMap<>();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (Disposition disposition : dispositions) {
            if (disposition instanceof Disposition.Reply reply && reply.request().repliesInBatch()) {
                byReplyTopic.computeIfAbsent(reply.request().replyTo(), topic -> new ArrayList<>()).add(reply);
            } else {
                sent.add(publish(disposition));
            }
        }
        byReplyTopic.forEach((topic, replies) -> sent.add(replies.size() == 1 ? reply(replies.get(0))
                : replyBatch(topic, replies)));
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /**
     * Best effort: the effect is stored already, and a gateway that is gone (its topic deleted) or
     * gave up long ago must not stall the partition. Only a reply Kafka refuses for good (too large)
     * turns into a dead letter, so that the caller is told.
     */
    private CompletableFuture<Void> reply(Disposition.Reply reply) {
        RequestEnvelope request = reply.request();
        String replyTo = request.replyTo();
        if (replyTo == null || request.correlationId() == null) {
            LOG.warn("request on {} for coupon {} names no reply topic or correlation id; no reply sent",
                    request.topic(), request.key());
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.millis();
        if (request.deadline() < now - REPLY_GRACE.toMillis() || knownMissing(replyTo, now)) {
            observer.staleReplies(1);
            return CompletableFuture.completedFuture(null);
        }
        return sendReply(request, reply.answer().encode()).handle((acked, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = RequestHandler.unwrap(failure);
            if (cause instanceof RecordTooLargeException) {
                return deadLetter(new Disposition.DeadLetter(request, cause));
            }
            rememberIfMissing(replyTo, cause);
            LOG.warn("reply to {} not delivered to {}; its caller times out: {}", request.describe(), replyTo,
                    cause.toString());
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(sent -> sent);
    }

    /** Best effort, as {@link #reply}, for replies to one reply topic in one record; too large a record is split. */
    private CompletableFuture<Void> replyBatch(String replyTo, List<Disposition.Reply> replies) {
        long now = clock.millis();
        if (knownMissing(replyTo, now)) {
            observer.staleReplies(replies.size());
            return CompletableFuture.completedFuture(null);
        }
        List<Messages.BatchedReply> live = new ArrayList<>(replies.size());
        for (Disposition.Reply reply : replies) {
            if (reply.request().deadline() >= now - REPLY_GRACE.toMillis()) {
                live.add(Messages.BatchedReply.of(reply.request().correlationId(), reply.answer().encode()));
            }
        }
        if (live.size() < replies.size()) {
            observer.staleReplies(replies.size() - live.size());
        }
        if (live.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        RecordHeaders headers = new RecordHeaders(new Header[] {
            KafkaHeaders.header(KafkaHeaders.REPLIES, Integer.toString(live.size()))});
        byte[] message = Wire.write(Messages.ReplyBatch.of(live));
        return send(new ProducerRecord<>(replyTo, null, (String) null, message, headers)).handle((acked, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = RequestHandler.unwrap(failure);
            if (cause instanceof RecordTooLargeException) {
                return CompletableFuture.allOf(replies.stream().map(this::reply).toArray(CompletableFuture[]::new));
            }
            rememberIfMissing(replyTo, cause);
            LOG.warn("{} replies not delivered to {}; their callers time out: {}", live.size(), replyTo,
                    cause.toString());
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(done -> done);
    }

    /** True while a send to {@code replyTo} failed lately as if its topic were gone: replies to it are skipped. */
    private boolean knownMissing(String replyTo, long now) {
        Long skipUntil = missingReplyTopics.get(replyTo);
        return skipUntil != null && skipUntil > now;
    }

    /** A reply topic that timed out or is unknown is likely gone with its gateway: skip it for a while. */
    private void rememberIfMissing(String replyTo, Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof UnknownTopicOrPartitionException) {
            missingReplyTopics.put(replyTo, clock.millis() + MISSING_TOPIC_MEMORY.toMillis());
        }
    }

    /** Nothing to send: the caller has its answer ({@code timeout}) and the claim took no stock. */
    private CompletableFuture<Void> expired(Disposition.Expired skipped) {
        observer.expired();
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> retry(Disposition.Retry retry) {
        observer.retried();
        RequestEnvelope request = retry.request();
        LOG.warn("store unavailable for {}; retry {} of {} at not-before {}: {}", request.describe(), retry.attempt(),
                retryPolicy.retries(), retry.notBefore(), retry.cause().getMessage());
        return send(new ProducerRecord<>(request.kind().retryTopic(), null, request.key(), request.message(),
                retryPolicy.headersOf(retry)));
    }

    private CompletableFuture<Void> deadLetter(Disposition.DeadLetter deadLetter) {
        observer.deadLettered();
        RequestEnvelope request = deadLetter.request();
        Throwable cause = deadLetter.cause();
        String topic = request.kind().deadLetterTopic();
        Headers headers = request.forwardedHeaders();
        KafkaHeaders.set(headers, KafkaHeaders.ERROR_CLASS, cause.getClass().getName());
        KafkaHeaders.set(headers, KafkaHeaders.ERROR_MESSAGE, String.valueOf(cause.getMessage()));
        LOG.error("dead-lettering {} from {} to {}: {}", request.describe(), request.topic(), topic, cause.toString());
        CompletableFuture<Void> parked = send(new ProducerRecord<>(topic, null, request.key(), request.message(), headers));
        if (request.replyTo() == null || request.correlationId() == null) {
            return parked;
        }
        CompletableFuture<Void> told = sendReply(request,
                Reply.failed("the request was dead-lettered to " + topic + ": " + cause.getMessage()))
                .exceptionally(failure -> {
                    LOG.warn("could not tell the caller of {} that it was dead-lettered: {}", request.describe(),
                            failure.toString());
                    return null;
                });
        return CompletableFuture.allOf(parked, told);
    }

    private CompletableFuture<Void> sendReply(RequestEnvelope request, Reply message) {
        RecordHeaders headers = new RecordHeaders();
        KafkaHeaders.set(headers, KafkaHeaders.CORRELATION_ID, request.correlationId());
        return send(new ProducerRecord<>(request.replyTo(), null, request.key(), Wire.write(message), headers));
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
