package com.flashsale.coupon.adapter.kafka.gateway;

import com.flashsale.coupon.adapter.kafka.DrivenConsumers;
import io.micronaut.configuration.kafka.KafkaConsumerFactory;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.configuration.kafka.config.DefaultKafkaConsumerConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's reader of a topic that every gateway reads for itself, whole: its reply topic and
 * the sold-out topic. It reads every partition with {@code assign()}, in no consumer group (no
 * rebalance to wait for, nothing missed before a group settles) and commits nothing, on a thread
 * of its own, and hands each record to its owner.
 *
 * <p>micronaut-kafka has no annotation for assigned partitions, so the consumer comes from its
 * {@link KafkaConsumerFactory}, with the {@code kafka.consumers.default} settings and the metrics
 * reporter that every other consumer gets.
 */
final class GrouplessReader {

    private static final Logger LOG = LoggerFactory.getLogger(GrouplessReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long start-up waits for a topic's metadata and positions. */
    private static final Duration START = Duration.ofSeconds(30);
    /** A reader whose last poll is older than this counts as stalled. */
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String topic;
    private final String consequenceOfStopping;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private Thread poller;
    private volatile boolean running = true;
    private volatile long lastPollNanos = System.nanoTime();

    /**
     * @param clientId              the consumer's client id, in its metrics
     * @param consequenceOfStopping what it means for the service if reading stops, for the log
     * @param handler               called with each record, on the reader's thread
     */
    GrouplessReader(KafkaConsumerFactory consumers, AbstractKafkaConsumerConfiguration<?, ?> defaults, String clientId,
                    String topic, String consequenceOfStopping, Consumer<ConsumerRecord<String, byte[]>> handler) {
        DefaultKafkaConsumerConfiguration<String, byte[]> config = DrivenConsumers.configuration(defaults, clientId);
        config.getConfig().remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = consumers.createConsumer(config);
        this.topic = topic;
        this.consequenceOfStopping = consequenceOfStopping;
        this.handler = handler;
    }

    /** Starts at the end: returns once a record published from now on is certain to be read. */
    void startAtEnd(String threadName) {
        start(threadName, () -> {
            List<TopicPartition> partitions = assignAll();
            consumer.seekToEnd(partitions);
            for (TopicPartition partition : partitions) {
                consumer.position(partition, START); // resolves the seek now
            }
        });
    }

    /**
     * Starts with the last {@code kept} records of each partition: returns once they have been
     * handled, up to the end as it was when this was called.
     */
    void startWithLast(long kept, String threadName) {
        start(threadName, () -> {
            List<TopicPartition> partitions = assignAll();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, START);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, START);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(starts.get(partition), ends.get(partition) - kept));
            }
            long giveUp = System.nanoTime() + START.toNanos();
            for (TopicPartition partition : partitions) {
                while (consumer.position(partition, START) < ends.get(partition)) {
                    if (System.nanoTime() > giveUp) {
                        throw new IllegalStateException("could not read " + topic + " to its end in "
                                + START.toSeconds() + " s");
                    }
                    consumer.poll(POLL).forEach(handler);
                }
            }
        });
    }

    private void start(String threadName, Runnable position) {
        try {
            position.run();
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(2));
            throw e;
        }
        lastPollNanos = System.nanoTime();
        poller = new Thread(this::poll, threadName);
        poller.setDaemon(true);
        poller.start();
    }

    /** Every partition of the topic, assigned; a topic created a moment ago may take a while to show them. */
    private List<TopicPartition> assignAll() {
        long giveUp = System.nanoTime() + START.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, START);
        while ((infos == null || infos.isEmpty()) && System.nanoTime() < giveUp) {
            sleep(50);
            infos = consumer.partitionsFor(topic, START);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions after " + START.toSeconds() + " s");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        return partitions;
    }

    private void poll() {
        try {
            while (running) {
                var records = consumer.poll(POLL);
                lastPollNanos = System.nanoTime();
                records.forEach(handler);
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("reader of {} stopped; {}", topic, consequenceOfStopping, e);
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** True while the topic is read: started, not stopped, and polled within the last 10 s. */
    boolean isReading() {
        return running && poller != null && poller.isAlive()
                && System.nanoTime() - lastPollNanos < STALLED_NANOS;
    }

    /** Stops reading; waits up to 10 s for the reader's thread to close its consumer. */
    void close() {
        running = false;
        consumer.wakeup();
        if (poller == null) {
            return;
        }
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
