package com.flashsale.coupon.adapter.kafka;

import io.micronaut.configuration.kafka.KafkaConsumerFactory;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's reply topic, for its whole life: created at start, read from its end on a
 * thread of its own, deleted at a graceful stop. Each reply goes to {@link PendingReplies}.
 *
 * <p>The consumer is driven by hand, not by a {@code @KafkaListener}: it must read the topic with
 * {@code assign()} and no consumer group (no rebalance to wait for, no reply lost before the
 * group settles), and it must be positioned at the end before the instance takes its first
 * request ({@link GrouplessConsumers}).
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class ReplyTopic {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyTopic.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Replies only serve the instance that waits for them; a crashed instance's topic empties soon. */
    private static final long RETENTION_MS = 5 * 60_000L;

    private final String name;
    private final TransportTopics topics;
    private final PendingReplies pending;
    private final Consumer<String, byte[]> consumer;
    private final Thread poller;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile long lastPollNanos = System.nanoTime();

    ReplyTopic(KafkaSettings settings, TransportTopics topics, PendingReplies pending,
               KafkaConsumerFactory consumers, AbstractKafkaConsumerConfiguration<?, ?> defaults) {
        this.name = settings.replyTopic();
        this.topics = topics;
        this.pending = pending;
        topics.create(List.of(new NewTopic(name, 1, settings.replicationFactor()).configs(Map.of(
                "retention.ms", Long.toString(RETENTION_MS),
                "max.message.bytes", Integer.toString(settings.maxMessageBytes())))));

        this.consumer = GrouplessConsumers.create(consumers, defaults, "coupon-replies-" + settings.instanceId());
        try {
            assignAtEnd();
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(2));
            throw e;
        }
        this.poller = new Thread(this::poll, "coupon-gateway-replies");
        poller.setDaemon(true);
        poller.start();
        LOG.info("gateway {} ready: replies on {}", settings.instanceId(), name);
    }

    /** Returns once a reply sent from now on is certain to be seen. */
    private void assignAtEnd() {
        // a topic created a moment ago may not be in this client's metadata yet
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<PartitionInfo> infos = consumer.partitionsFor(name, Duration.ofSeconds(30));
        while ((infos == null || infos.isEmpty()) && System.nanoTime() < giveUp) {
            sleep(50);
            infos = consumer.partitionsFor(name, Duration.ofSeconds(30));
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("reply topic " + name + " has no partitions after 30 s");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition partition : partitions) {
            consumer.position(partition, Duration.ofSeconds(30)); // resolves the seek now
        }
        assigned = true;
    }

    private void poll() {
        try {
            while (running) {
                var records = consumer.poll(POLL);
                lastPollNanos = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("reply poller on {} stopped; the instance reports DOWN", name, e);
        } finally {
            assigned = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** A reply record carries one reply (its correlation id in a header) or a batch of them ({@link Messages.ReplyBatch}). */
    private void deliver(ConsumerRecord<String, byte[]> record) {
        String correlationId = KafkaHeaders.text(record.headers(), KafkaHeaders.CORRELATION_ID);
        if (correlationId != null || KafkaHeaders.text(record.headers(), KafkaHeaders.REPLIES) == null) {
            pending.deliver(correlationId, record.key(), () -> Wire.read(record.value(), Messages.Reply.class));
            return;
        }
        Messages.ReplyBatch batch;
        try {
            batch = Wire.read(record.value(), Messages.ReplyBatch.class);
        } catch (Wire.MalformedMessageException e) {
            LOG.warn("ignoring batch of replies {} on {}: {}; its callers time out", record.offset(), name,
                    e.getMessage());
            return;
        }
        for (Messages.BatchedReply reply : batch.replies()) {
            pending.deliver(reply.correlationId(), reply.couponName(), reply::toReply);
        }
    }

    public String name() {
        return name;
    }

    /** True while the reply partitions are assigned and read; false means replies would be missed. */
    public boolean isReady() {
        return running && assigned && poller.isAlive()
                && System.nanoTime() - lastPollNanos < TimeUnit.SECONDS.toNanos(10);
    }

    /** Stops reading and deletes the topic; its retention empties it if the delete fails. */
    @PreDestroy
    void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (topics.delete(name, 3_000)) {
            LOG.info("deleted reply topic {}", name);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
