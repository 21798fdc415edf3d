package com.flashsale.coupon.adapter.kafka.gateway;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportObserver;
import com.flashsale.coupon.adapter.kafka.wire.Messages.Reply;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import com.flashsale.coupon.domain.port.in.OverloadedException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's callers that wait for a reply, by correlation id, each with its deadline: a reply
 * completes its caller's stage; the deadline fails it with {@link OutcomeUnknownException}.
 *
 * <p>Every request waits the same time, so deadlines come in the order requests were registered:
 * they wait in one queue, in that order, and a sweeper thread fails those whose time is up (within
 * {@link #SWEEP_MILLIS} of it). One queue entry a request, instead of a timer task to schedule and
 * cancel on a shared heap, which showed on the hot path.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class PendingReplies {

    private static final Logger LOG = LoggerFactory.getLogger(PendingReplies.class);
    /** How often the sweeper looks for callers whose deadline has passed. */
    static final long SWEEP_MILLIS = 10;

    /** A caller waiting for the reply to {@code correlationId} until {@code deadline} (epoch milliseconds). */
    record Waiting(String correlationId, long deadline, CompletableFuture<Reply> reply) {
    }

    private record Pending(CompletableFuture<Reply> reply, Supplier<String> what, long sentNanos) {
    }

    /** A deadline in the queue; the caller may have had its reply long before. */
    private record Deadline(long atNanos, String correlationId) {
    }

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final Queue<Deadline> deadlines = new ConcurrentLinkedQueue<>();
    /**
     * Correlation ids are this process's random start plus a count: unique here, and unlike any a
     * gateway of the same {@code INSTANCE_ID} used before a restart, whose late replies may still come.
     */
    private final AtomicLong nextCorrelation = new AtomicLong(new SecureRandom().nextLong());
    private final long timeoutMillis;
    private final int maxInFlight;
    private final TransportObserver observer;
    private final Thread sweeper;
    private volatile boolean running = true;

    PendingReplies(KafkaSettings settings, @Nullable TransportObserver observer) {
        this.timeoutMillis = settings.requestTimeout().toMillis();
        this.maxInFlight = settings.maxInFlight();
        this.observer = observer == null ? TransportObserver.NONE : observer;
        this.sweeper = new Thread(this::sweep, "coupon-gateway-deadlines");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /**
     * Registers a caller of {@code what} (for logs, made only if needed); its stage fails at the
     * deadline unless a reply comes first. Refuses with {@link OverloadedException} while
     * {@code maxInFlight} callers wait.
     */
    Waiting register(Supplier<String> what) {
        if (pending.size() >= maxInFlight) {
            throw new OverloadedException(maxInFlight + " requests wait for their replies already");
        }
        String correlationId = Long.toHexString(nextCorrelation.getAndIncrement());
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        long now = System.nanoTime();
        pending.put(correlationId, new Pending(reply, what, now));
        deadlines.add(new Deadline(now + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), correlationId));
        return new Waiting(correlationId, System.currentTimeMillis() + timeoutMillis, reply);
    }

    /** Completes the caller that {@code reply} answers; a reply whose caller is gone is counted as late. */
    void deliver(@Nullable String correlationId, @Nullable String coupon, Supplier<Reply> reply) {
        Pending waiting = correlationId == null ? null : pending.remove(correlationId);
        if (waiting == null) {
            observer.lateReply();
            LOG.info("late reply for coupon {} (correlation {}): its caller was already answered", coupon,
                    correlationId);
            return;
        }
        observer.replied(System.nanoTime() - waiting.sentNanos());
        try {
            Reply answer = reply.get();
            if (answer.isFailure()) {
                waiting.reply().completeExceptionally(new IllegalStateException(
                        "the worker could not process " + waiting.what().get() + ": " + answer.message()));
            } else {
                waiting.reply().complete(answer);
            }
        } catch (RuntimeException e) {
            waiting.reply().completeExceptionally(e);
        }
    }

    /** The request never reached Kafka: its caller learns it now, not at the deadline. */
    void fail(String correlationId, Throwable cause) {
        Pending waiting = pending.remove(correlationId);
        if (waiting != null) {
            LOG.warn("could not publish {} (correlation {}): {}", waiting.what().get(), correlationId, cause.toString());
            waiting.reply().completeExceptionally(
                    new IllegalStateException("could not publish the request to Kafka: " + cause.getMessage(), cause));
        }
    }

    private void sweep() {
        while (running) {
            long now = System.nanoTime();
            for (Deadline next; (next = deadlines.peek()) != null && next.atNanos() - now <= 0; ) {
                deadlines.poll();
                expire(next.correlationId());
            }
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void expire(String correlationId) {
        Pending waiting = pending.remove(correlationId);
        if (waiting != null) {
            observer.timedOut();
            waiting.reply().completeExceptionally(new OutcomeUnknownException("no reply to " + waiting.what().get()
                    + " within " + timeoutMillis + " ms (correlation " + correlationId + ")"));
        }
    }

    /** Requests waiting for a reply now. */
    public int inFlight() {
        return pending.size();
    }

    /** Answers every waiting caller {@code timeout}: the instance stops before their replies could come. */
    @PreDestroy
    void close() {
        running = false;
        sweeper.interrupt();
        for (String correlationId : List.copyOf(pending.keySet())) {
            Pending waiting = pending.remove(correlationId);
            if (waiting != null) {
                waiting.reply().completeExceptionally(new OutcomeUnknownException(
                        "the instance shut down before the reply to " + waiting.what().get() + " came"));
            }
        }
        deadlines.clear();
    }
}
