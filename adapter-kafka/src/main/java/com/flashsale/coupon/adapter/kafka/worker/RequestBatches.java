package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportTopics;
import com.flashsale.coupon.domain.ClaimOutcome;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one way through a batch, for both listeners: read each record into an envelope,
 * handle them together, publish every disposition, and wait until Kafka has acknowledged them.
 * Only then may the listener's offsets be committed. A batch that did not get that far is rewound
 * on its consumer, so that the commit that follows stays at its first record and the next poll
 * reads it again; the store's request ids make the second run harmless.
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
    /** A batch that failed is read again after this pause, so that a lasting failure does not spin. */
    private static final long PAUSE_AFTER_FAILURE_MS = 200;

    private final RequestHandler handler;
    private final DispositionPublisher publisher;
    private final SoldOutAnnouncer announcer;
    private final long awaitMillis;

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

    /** Processes the records; if they could not all be disposed of, rewinds {@code consumer} to redo them. */
    void processOrRewind(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        if (records.isEmpty() || process(records)) {
            return;
        }
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            first.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        first.forEach(consumer::seek);
        try {
            Thread.sleep(PAUSE_AFTER_FAILURE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean process(List<ConsumerRecord<String, byte[]>> records) {
        try {
            List<RequestEnvelope> requests = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                requests.addAll(RequestEnvelope.allOf(record));
            }
            List<CompletionStage<Disposition>> dispositions = handler.handle(requests);
            CompletableFuture<?>[] handled = new CompletableFuture<?>[dispositions.size()];
            for (int i = 0; i < handled.length; i++) {
                handled[i] = dispositions.get(i).toCompletableFuture();
            }
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(awaitMillis);
            CompletableFuture.allOf(handled).get(awaitMillis, TimeUnit.MILLISECONDS);
            // all at once, so that the replies of the poll's claims travel one record per gateway
            List<Disposition> all = new ArrayList<>(handled.length);
            for (CompletableFuture<?> disposition : handled) {
                all.add((Disposition) disposition.join());
            }
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime()));
            publisher.publishAll(all).get(left, TimeUnit.MILLISECONDS);
            announceSoldOut(dispositions);
            // counted from this batch's own dispositions: the listeners run at once, so a delta of
            // the shared counter would take in the other listener's claims too
            long expired = dispositions.stream()
                    .filter(d -> d.toCompletableFuture().join() instanceof Disposition.Expired).count();
            if (expired > 0) {
                LOG.info("{} claims of a batch of {} requests were past their deadline and took no stock", expired,
                        requests.size());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted during a batch of {} records; it will be read again", records.size());
            return false;
        } catch (Exception e) {
            LOG.error("could not finish a batch of {} records; it will be read again", records.size(), e);
            return false;
        }
    }

    /** Tells the announcer of each coupon this batch answered {@code sold_out} for, once per batch. */
    private void announceSoldOut(List<CompletionStage<Disposition>> dispositions) {
        Set<String> soldOut = new HashSet<>();
        for (CompletionStage<Disposition> disposition : dispositions) {
            if (disposition.toCompletableFuture().join() instanceof Disposition.Reply reply
                    && reply.answer() instanceof Disposition.Answer.Claim claim
                    && claim.outcome() instanceof ClaimOutcome.SoldOut
                    && soldOut.add(claim.outcome().couponName().value())) {
                announcer.soldOut(claim.outcome().couponName());
            }
        }
    }
}
