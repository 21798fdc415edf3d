package com.flashsale.coupon.adapter.kafka;

import com.flashsale.coupon.adapter.kafka.Messages.Reply;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import com.flashsale.coupon.domain.port.in.OverloadedException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's callers that wait for a reply, by correlation id, each with its deadline: a reply
 * completes its caller's stage; the deadline fails it with {@link OutcomeUnknownException}.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class PendingReplies {

    private static final Logger LOG = LoggerFactory.getLogger(PendingReplies.class);

    /** A caller waiting for the reply to {@code correlationId} until {@code deadline} (epoch milliseconds). */
    record Waiting(String correlationId, long deadline, CompletableFuture<Reply> reply) {
    }

    private record Pending(CompletableFuture<Reply> reply, ScheduledFuture<?> timer, String what, long sentNanos) {
    }

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "coupon-gateway-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private final long timeoutMillis;
    private final int maxInFlight;
    private final ReplyLatencyObserver latency;
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder lateReplies = new LongAdder();

    PendingReplies(KafkaSettings settings, @Nullable ReplyLatencyObserver latency) {
        this.timeoutMillis = settings.requestTimeout().toMillis();
        this.maxInFlight = settings.maxInFlight();
        this.latency = latency == null ? ReplyLatencyObserver.NONE : latency;
    }

    /**
     * Registers a caller of {@code what} (for logs); its stage fails at the deadline unless a reply
     * comes first. Refuses with {@link OverloadedException} while {@code maxInFlight} callers wait.
     */
    Waiting register(String what) {
        if (pending.size() >= maxInFlight) {
            throw new OverloadedException(maxInFlight + " requests wait for their replies already");
        }
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        ScheduledFuture<?> timer = deadlines.schedule(() -> expire(correlationId), timeoutMillis, TimeUnit.MILLISECONDS);
        pending.put(correlationId, new Pending(reply, timer, what, System.nanoTime()));
        return new Waiting(correlationId, System.currentTimeMillis() + timeoutMillis, reply);
    }

    /** Completes the caller a reply record answers; a reply whose caller is gone is counted as late. */
    void deliver(ConsumerRecord<String, byte[]> record) {
        String correlationId = KafkaHeaders.text(record.headers(), KafkaHeaders.CORRELATION_ID);
        Pending waiting = correlationId == null ? null : pending.remove(correlationId);
        if (waiting == null) {
            lateReplies.increment();
            LOG.info("late reply for coupon {} (correlation {}): its caller was already answered",
                    record.key(), correlationId);
            return;
        }
        waiting.timer().cancel(false);
        latency.replied(System.nanoTime() - waiting.sentNanos());
        try {
            Reply reply = Wire.read(record.value(), Reply.class);
            if (reply.isFailure()) {
                waiting.reply().completeExceptionally(new IllegalStateException(
                        "the worker could not process " + waiting.what() + ": " + reply.message()));
            } else {
                waiting.reply().complete(reply);
            }
        } catch (RuntimeException e) {
            waiting.reply().completeExceptionally(e);
        }
    }

    /** The request never reached Kafka: its caller learns it now, not at the deadline. */
    void fail(String correlationId, Throwable cause) {
        Pending waiting = pending.remove(correlationId);
        if (waiting != null) {
            waiting.timer().cancel(false);
            LOG.warn("could not publish {} (correlation {}): {}", waiting.what(), correlationId, cause.toString());
            waiting.reply().completeExceptionally(
                    new IllegalStateException("could not publish the request to Kafka: " + cause.getMessage(), cause));
        }
    }

    private void expire(String correlationId) {
        Pending waiting = pending.remove(correlationId);
        if (waiting != null) {
            timeouts.increment();
            waiting.reply().completeExceptionally(new OutcomeUnknownException("no reply to " + waiting.what()
                    + " within " + timeoutMillis + " ms (correlation " + correlationId + ")"));
        }
    }

    /** Requests waiting for a reply now. */
    public int inFlight() {
        return pending.size();
    }

    /** Requests answered {@code timeout} because no reply came before the deadline. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Replies that came after their caller had been answered {@code timeout}. */
    public long lateReplies() {
        return lateReplies.sum();
    }

    /** Answers every waiting caller {@code timeout}: the instance stops before their replies could come. */
    @PreDestroy
    void close() {
        for (String correlationId : List.copyOf(pending.keySet())) {
            Pending waiting = pending.remove(correlationId);
            if (waiting != null) {
                waiting.timer().cancel(false);
                waiting.reply().completeExceptionally(new OutcomeUnknownException(
                        "the instance shut down before the reply to " + waiting.what() + " came"));
            }
        }
        deadlines.shutdownNow();
    }
}
