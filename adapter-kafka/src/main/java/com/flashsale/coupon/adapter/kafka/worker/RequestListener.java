package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
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
 * The worker on the request topics, in the consumer group shared by every instance.
 *
 * <p>Offsets: {@link OffsetStrategy#AUTO}, the consumer's own commit of its positions, made inside
 * {@code poll()} every {@link KafkaSettings#COMMIT_INTERVAL_MS} ms, when a rebalance takes partitions
 * away and when the consumer closes. Every one of those runs on the poll thread between two calls of
 * this method, and the method returns only once every disposition of its poll is acknowledged, or
 * after rewinding the batch; so a position, and with it a commit, never passes a request that was
 * not disposed of. The method never throws: micronaut-kafka would skip a batch that throws, and
 * commit past it.
 */
@KafkaListener(groupId = RequestListener.GROUP, clientId = RequestListener.CLIENT_ID, batch = true,
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.AUTO, pollTimeout = "100ms",
        properties = @Property(name = ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, value = KafkaSettings.COMMIT_INTERVAL_MS))
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
@Requires(property = KafkaSettings.WORKER_ENABLED, notEquals = "false")
public final class RequestListener implements ConsumerRebalanceListener {

    /** The consumer group of the workers; micronaut-kafka reads its settings under {@code kafka.consumers}. */
    public static final String GROUP = "coupon-workers";
    /** Its id in micronaut-kafka's {@code ConsumerRegistry}. */
    public static final String CLIENT_ID = "coupon-worker";

    private static final Logger LOG = LoggerFactory.getLogger(RequestListener.class);

    private final RequestBatches batches;
    private volatile boolean assignedOnce;

    RequestListener(RequestBatches batches) {
        this.batches = batches;
    }

    @Topic({KafkaTopics.CREATE_REQUESTS, KafkaTopics.CLAIM_REQUESTS, KafkaTopics.GET_REQUESTS})
    public void receive(ConsumerRecords<String, byte[]> records, Consumer<String, byte[]> consumer) {
        batches.processOrRewind(list(records), consumer);
    }

    /** True once the group has given this worker its partitions. */
    public boolean isConsuming() {
        return assignedOnce;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assignedOnce = true;
        LOG.info("worker consumes {} partitions of the request topics", partitions.size());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // the consumer has just committed its positions, all of them disposed of; nothing is pending here
    }

    static List<ConsumerRecord<String, byte[]>> list(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        return all;
    }
}
