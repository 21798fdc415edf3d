package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportTopics;
import com.flashsale.coupon.domain.ClaimOutcome;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one way through a batch, for both listeners: read each record into an envelope,
 * handle them together, publish every disposition, and complete when Kafka has acknowledged them
 * ({@link #dispose}). Only then may the batch's offsets be committed. A batch that did not get that
 * far is read again; the store's request ids make the second run harmless. The request listener
 * keeps several batches in flight and tracks their offsets ({@link OffsetTracker}); the retry
 * listener waits for each ({@link #processOrRewind}).
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
@Requires(property = KafkaSettings.WORKER_ENABLED, notEquals = "false")
public final class RequestBatches {

    /** The qualifier of the in-process use cases the worker serves requests with. */
    public static final String USE_CASES = "use-cases";
    /** The worker's producer: configured under {@code kafka.producers.coupon-worker}. */
    public static final String PRODUCER = "coupon-worker";

    private static final Logger LOG = LoggerFactory.getLogger(RequestBatches.class);
    private static final long PAUSE_AFTER_FAILURE_MS = 200;

    private final RequestHandler handler;
    private final DispositionPublisher publisher;
    private final SoldOutAnnouncer announcer;
    private final long awaitMillis;
    /** Publishes the dispositions of finished batches, in the order they finish. */
    private final ExecutorService publishing = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "coupon-worker-publisher");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Built from {@link WorkerParts}. {@code topics} is not used here: asking for it makes the
     * topics exist before the listeners, which need this bean, start to poll.
     */
    RequestBatches(RequestHandler handler, DispositionPublisher publisher, SoldOutAnnouncer announcer,
                   KafkaSettings settings, TransportTopics topics) {
        this.handler = handler;
        this.publisher = publisher;
        this.announcer = announcer;
        // a store call is bounded by the pool's timeouts; this only guards against a hung send
        this.awaitMillis = settings.requestTimeout().toMillis() + 30_000;
    }

    /**
     * Processes the records and returns once they are disposed of; if they could not all be, rewinds
     * {@code consumer} to redo them. The retry listener's way through a batch: one at a time.
     */
    void processOrRewind(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        if (records.isEmpty() || process(records)) {
            return;
        }
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            first.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        first.forEach(consumer::seek);
        pauseAfterFailure();
    }

    /** A batch that failed is read again only after a pause, so that a lasting failure does not spin. */
    static void pauseAfterFailure() {
        try {
            Thread.sleep(PAUSE_AFTER_FAILURE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean process(List<ConsumerRecord<String, byte[]>> records) {
        try {
            dispose(envelopes(records)).get(awaitMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted during a batch of {} records; it will be read again", records.size());
            return false;
        } catch (Exception e) {
            LOG.error("could not finish a batch of {} records; it will be read again", records.size(),
                    e instanceof ExecutionException ? e.getCause() : e);
            return false;
        }
    }

    /** The requests of these records, a batch of claims giving one per claim. */
    static List<RequestEnvelope> envelopes(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<RequestEnvelope> requests = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            requests.addAll(RequestEnvelope.allOf(record));
        }
        return requests;
    }

    /**
     * Hands the requests to the use cases and, once every one has its disposition, publishes them
     * all at once, so that the replies of the batch's claims travel one record per gateway. The
     * stage completes when Kafka has acknowledged every disposition, and fails if one could not be
     * kept, or after the time a store call and a send may take together: then the batch must be
     * read again. The caller's thread only starts the work; publishing runs on the worker's
     * publishing thread, so that no store thread waits on a send.
     */
    CompletableFuture<Void> dispose(List<RequestEnvelope> requests) {
        List<CompletionStage<Disposition>> stages;
        try {
            stages = handler.handle(requests);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<?>[] handled = new CompletableFuture<?>[stages.size()];
        for (int i = 0; i < handled.length; i++) {
            handled[i] = stages.get(i).toCompletableFuture();
        }
        return CompletableFuture.allOf(handled)
                .thenComposeAsync(ignored -> {
                    List<Disposition> all = new ArrayList<>(handled.length);
                    for (CompletableFuture<?> disposition : handled) {
                        all.add((Disposition) disposition.join());
                    }
                    return publisher.publishAll(all).thenApply(published -> all);
                }, publishing)
                .thenAccept(all -> {
                    announceSoldOut(all);
                    long expired = all.stream().filter(d -> d instanceof Disposition.Expired).count();
                    if (expired > 0) {
                        LOG.info("{} claims of a batch of {} requests were past their deadline and took no stock",
                                expired, requests.size());
                    }
                })
                .orTimeout(awaitMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void close() {
        publishing.shutdown();
    }

    /** Tells the announcer of each coupon this batch answered {@code sold_out} for, once per batch. */
    private void announceSoldOut(List<Disposition> dispositions) {
        Set<String> soldOut = new HashSet<>();
        for (Disposition disposition : dispositions) {
            if (disposition instanceof Disposition.Reply reply
                    && reply.answer() instanceof Disposition.Answer.Claim claim
                    && claim.outcome() instanceof ClaimOutcome.SoldOut
                    && soldOut.add(claim.outcome().couponName().value())) {
                announcer.soldOut(claim.outcome().couponName());
            }
        }
    }
}
