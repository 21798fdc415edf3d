package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker on the retry topics, in a group of its own so that waiting retries never hold up
 * new requests. Retries are few, so it takes one batch at a time, in lockstep.
 *
 * <p>Offsets: {@link OffsetStrategy#AUTO}, the consumer's own commit of its positions, made inside
 * {@code poll()} every {@link KafkaSettings#COMMIT_INTERVAL_MS} ms, when a rebalance takes partitions
 * away and when the consumer closes. Every one of those runs on the poll thread between two calls of
 * {@link #receive}, which returns only once every disposition of its poll is acknowledged, or after
 * rewinding the batch; so a position, and with it a commit, never passes a request that was not
 * disposed of. The method never throws: micronaut-kafka would skip a batch that throws, and commit
 * past it.
 *
 * <p>A retry waits for its not-before time without blocking the poll loop: its partition is
 * rewound to it and paused until then. The pause goes through {@link ConsumerRegistry}, because
 * micronaut-kafka resumes, after every poll, any partition paused on the consumer directly.
 */
@KafkaListener(groupId = RetryListener.GROUP, clientId = RetryListener.CLIENT_ID, batch = true,
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.AUTO, pollTimeout = "50ms",
        properties = @Property(name = ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, value = KafkaSettings.COMMIT_INTERVAL_MS))
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
@Requires(property = KafkaSettings.WORKER_ENABLED, notEquals = "false")
public final class RetryListener implements ConsumerRebalanceListener {

    public static final String GROUP = RequestListener.GROUP + "-retry";
    public static final String CLIENT_ID = "coupon-retry";

    private static final Logger LOG = LoggerFactory.getLogger(RetryListener.class);

    private final RequestBatches batches;
    /** Lazily: the registry is the processor that creates this listener. */
    private final BeanProvider<ConsumerRegistry> registry;
    private final TaskScheduler scheduler;
    private volatile boolean assignedOnce;

    RetryListener(RequestBatches batches, BeanProvider<ConsumerRegistry> registry,
                  @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.batches = batches;
        this.registry = registry;
        this.scheduler = scheduler;
    }

    @Topic({KafkaTopics.CREATE_RETRY, KafkaTopics.CLAIM_RETRY, KafkaTopics.GET_RETRY})
    public void receive(ConsumerRecords<String, byte[]> records, Consumer<String, byte[]> consumer) {
        long now = System.currentTimeMillis();
        List<ConsumerRecord<String, byte[]>> due = new ArrayList<>(records.count());
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                long notBefore = RetryPolicy.notBeforeOf(record.headers());
                if (notBefore > now) {
                    consumer.seek(partition, record.offset());
                    holdUntil(partition, notBefore - now);
                    break;
                }
                due.add(record);
            }
        }
        batches.processOrRewind(due, consumer);
    }

    private void holdUntil(TopicPartition partition, long millis) {
        List<TopicPartition> held = List.of(partition);
        ConsumerRegistry consumers = registry.get();
        consumers.pause(CLIENT_ID, held);
        scheduler.schedule(Duration.ofMillis(millis), () -> consumers.resume(CLIENT_ID, held));
    }

    /** True once the group has given this worker its partitions. */
    public boolean isConsuming() {
        return assignedOnce;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assignedOnce = true;
        LOG.info("worker consumes {} partitions of the retry topics", partitions.size());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // a held partition that comes back is resumed by its scheduled resume, or is simply read again
    }
}
