package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.DrivenConsumers;
import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import io.micronaut.configuration.kafka.KafkaConsumerFactory;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.configuration.kafka.config.DefaultKafkaConsumerConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker on the request topics, in the consumer group shared by every instance. Its stages
 * overlap: while one poll's requests are in the store, or their replies on their way, the next
 * poll is read and handed to the use cases, whose lanes keep each coupon's claims in order. At most
 * {@link #MAX_REQUESTS_IN_FLIGHT} requests are in flight; past that, every partition is paused.
 *
 * <p>Offsets: each poll is tracked until all its requests are disposed of and their dispositions
 * kept ({@link OffsetTracker}), and a partition is committed up to its oldest poll that is not, at
 * most every {@link KafkaSettings#COMMIT_INTERVAL_MS} ms, when partitions are revoked and when the
 * worker stops. A poll that failed holds its partitions' commits and is read again from its first
 * records. A crash reads again what was disposed of but not yet committed, which request ids make
 * harmless.
 *
 * <p>The consumer is driven here rather than by a micronaut-kafka {@code @KafkaListener}: a
 * listener's method is called only for polls that return records, and the consumer may be touched
 * only from its poll thread, so the offsets of batches that finish after the last records came
 * would stay uncommitted until traffic resumed (the group's lag would show them, and a restart
 * would read them again). It comes from micronaut-kafka's {@link KafkaConsumerFactory}, with the
 * {@code kafka.consumers.default} settings and metrics of every other consumer.
 */
@Context
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
@Requires(property = KafkaSettings.WORKER_ENABLED, notEquals = "false")
public final class RequestListener implements ConsumerRebalanceListener {

    /** The consumer group of the workers. */
    public static final String GROUP = "coupon-workers";
    /** Its consumer's client id, in its metrics. */
    public static final String CLIENT_ID = "coupon-worker";
    /** The topics it reads. */
    public static final List<String> TOPICS = List.of(KafkaTopics.CREATE_REQUESTS, KafkaTopics.CLAIM_REQUESTS,
            KafkaTopics.GET_REQUESTS);
    /**
     * Requests taken and not yet disposed of, past which the worker stops reading: several polls'
     * worth, and well below what the use cases queue before they refuse claims.
     */
    static final int MAX_REQUESTS_IN_FLIGHT = 4_000;

    private static final Logger LOG = LoggerFactory.getLogger(RequestListener.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** While paused, polls are short, so that reading resumes soon after the batches in flight finish. */
    private static final Duration PAUSED_POLL = Duration.ofMillis(5);
    private static final long COMMIT_INTERVAL_NANOS =
            TimeUnit.MILLISECONDS.toNanos(Long.parseLong(KafkaSettings.COMMIT_INTERVAL_MS));
    /**
     * How long revoked partitions wait for their batches in flight before they are let go: a new
     * owner reads again whatever is not finished by then. Short, so that failover stays quick.
     */
    private static final long REVOKE_WAIT_MS = 1_000;
    /** How long a stopping worker lets its batches in flight finish before it commits and leaves. */
    private static final long STOP_WAIT_MS = 10_000;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    /** A worker whose last poll is older than this counts as stalled. */
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final RequestBatches batches;
    private final Consumer<String, byte[]> consumer;
    private final OffsetTracker offsets = new OffsetTracker();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile boolean assignedOnce;
    private volatile long lastPollNanos = System.nanoTime();
    private long lastCommitNanos = System.nanoTime();
    private boolean paused;

    RequestListener(RequestBatches batches, KafkaConsumerFactory consumers,
                    AbstractKafkaConsumerConfiguration<?, ?> defaults) {
        this.batches = batches;
        DefaultKafkaConsumerConfiguration<String, byte[]> config = DrivenConsumers.configuration(defaults, CLIENT_ID);
        config.getConfig().put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.getConfig().put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a rebalance moves only the partitions that change owner, instead of stopping every worker's
        config.getConfig().put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        this.consumer = consumers.createConsumer(config);
        this.poller = new Thread(this::run, "coupon-worker-poll");
        poller.setDaemon(true);
        poller.start();
    }

    private void run() {
        try {
            consumer.subscribe(TOPICS, this);
            while (running) {
                rewindFailed();
                commitFinished();
                pauseWhileFull();
                ConsumerRecords<String, byte[]> records = consumer.poll(paused ? PAUSED_POLL : POLL);
                lastPollNanos = System.nanoTime();
                if (!records.isEmpty()) {
                    start(records);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("the worker stopped reading requests; the instance reports DOWN", e);
        } finally {
            running = false;
            leave();
        }
    }

    /** Hands a poll's requests to the use cases; the poll is tracked until they are all disposed of. */
    private void start(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            byPartition.put(partition, records.records(partition));
        }
        OffsetTracker.Batch batch = offsets.track(byPartition, ConsumerRecord::offset);
        List<RequestEnvelope> requests;
        try {
            requests = RequestBatches.envelopes(records);
        } catch (RuntimeException e) {
            failed(batch, records.count(), e);
            return;
        }
        inFlight.addAndGet(requests.size());
        batches.dispose(requests).whenComplete((ignored, failure) -> {
            inFlight.addAndGet(-requests.size());
            if (failure == null) {
                batch.done();
            } else {
                failed(batch, records.count(), RequestHandler.unwrap(failure));
            }
        });
    }

    private static void failed(OffsetTracker.Batch batch, int records, Throwable failure) {
        LOG.error("could not finish a batch of {} records; it will be read again", records, failure);
        batch.failed();
    }

    /** Seeks back to every failed poll, which is then read again, after a pause so that a lasting failure does not spin. */
    private void rewindFailed() {
        Map<TopicPartition, Long> seeks = offsets.rewind();
        if (!seeks.isEmpty()) {
            seeks.forEach(consumer::seek);
            RequestBatches.pauseAfterFailure();
        }
    }

    /** Commits what is finished and contiguous, at most once an interval and without waiting for it. */
    private void commitFinished() {
        if (System.nanoTime() - lastCommitNanos < COMMIT_INTERVAL_NANOS) {
            return;
        }
        lastCommitNanos = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> finished = offsets.committable();
        if (finished.isEmpty()) {
            return;
        }
        consumer.commitAsync(finished, (committed, failure) -> {
            if (failure != null) {
                // runs on the poll thread, inside poll(): offered again at the next commit
                LOG.debug("a commit of the worker's offsets failed; it is tried again", failure);
                offsets.commitFailed(finished.keySet());
            }
        });
    }

    private void pauseWhileFull() {
        boolean full = inFlight.get() >= MAX_REQUESTS_IN_FLIGHT;
        if (full) {
            consumer.pause(consumer.assignment()); // newly assigned partitions are paused here too
        } else if (paused) {
            consumer.resume(consumer.paused());
        }
        paused = full;
    }

    /**
     * On the poll thread, inside poll(): the partitions' batches in flight get a moment to finish,
     * then what is finished and contiguous is committed, and the partitions are let go.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REVOKE_WAIT_MS);
        while (offsets.isRunning(partitions) && System.nanoTime() < giveUp) {
            sleep(5);
        }
        commitNow(offsets.committable(partitions));
        offsets.forget(partitions);
        LOG.info("worker gave up {} partitions of the request topics", partitions.size());
    }

    /** Partitions taken away without a revocation (the session expired): nothing can be committed for them. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        offsets.forget(partitions);
        LOG.warn("worker lost {} partitions of the request topics; their new owner reads again what was not committed",
                partitions.size());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assignedOnce = true;
        LOG.info("worker consumes {} more partitions of the request topics", partitions.size());
    }

    /** Stopping: the batches in flight get a moment to finish, what is finished is committed, and the group is left. */
    private void leave() {
        try {
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
            while (inFlight.get() > 0 && System.nanoTime() < giveUp) {
                sleep(5);
            }
            commitNow(offsets.committable());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void commitNow(Map<TopicPartition, OffsetAndMetadata> finished) {
        if (finished.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(finished, COMMIT_TIMEOUT);
            } catch (WakeupException stopping) {
                // the wakeup of close() was still pending: it has fired now, so this one goes through
                consumer.commitSync(finished, COMMIT_TIMEOUT);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not commit the worker's offsets; their next owner reads those requests again: {}",
                    e.toString());
        }
    }

    /** True while the worker reads: it had its partitions once, and it polled within the last 30 s. */
    public boolean isConsuming() {
        return assignedOnce && running && System.nanoTime() - lastPollNanos < STALLED_NANOS;
    }

    /** Stops reading, lets the batches in flight finish, commits and leaves the group; waits for all of it. */
    @PreDestroy
    void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(STOP_WAIT_MS + TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
