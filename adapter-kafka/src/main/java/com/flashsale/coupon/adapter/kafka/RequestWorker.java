package com.flashsale.coupon.adapter.kafka;

import com.flashsale.coupon.domain.port.in.FlashSale;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side: one consumer on the request topics and one on the retry topics, both in this
 * service's consumer group, calling the same use cases as synchronous mode. Offsets are committed
 * only after every reply of a poll is acknowledged (at least once); the store's request ids make
 * a second delivery harmless.
 */
public final class RequestWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY_POLL = Duration.ofMillis(50);
    private static final Duration CLOSE = Duration.ofSeconds(5);

    private final KafkaSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final RequestHandler handler;
    private final Clock clock;
    private final Thread requests;
    private final Thread retries;
    private volatile boolean running = true;
    private final Map<String, Boolean> assignedOnce = new ConcurrentHashMap<>();

    private RequestWorker(KafkaSettings settings, FlashSale useCases, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        var producerConfig = KafkaClients.producer(settings, "coupon-worker-" + settings.instanceId());
        // a reply topic that no longer exists must not hold a store thread (and so a poll) for long
        producerConfig.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);
        this.producer = new KafkaProducer<>(producerConfig);
        this.handler = new RequestHandler(useCases, producer, settings.retryBackoffs(), clock);
        this.requests = KafkaFlashSale.daemon("coupon-worker-requests").newThread(this::consumeRequests);
        this.retries = KafkaFlashSale.daemon("coupon-worker-retries").newThread(this::consumeRetries);
    }

    /** Starts both consumers; they join their groups in the background. */
    public static RequestWorker start(KafkaSettings settings, FlashSale useCases) {
        RequestWorker worker = new RequestWorker(settings, useCases, Clock.systemUTC());
        worker.requests.start();
        worker.retries.start();
        return worker;
    }

    /** True once both consumers have had partitions assigned at least once, and still run. */
    public boolean isConsuming() {
        return running && requests.isAlive() && retries.isAlive() && assignedOnce.size() == 2;
    }

    public long retriesSent() {
        return handler.retries();
    }

    public long deadLetters() {
        return handler.deadLetters();
    }

    private KafkaConsumer<String, byte[]> consumer(String group, String name) {
        var config = KafkaClients.consumer(settings, name + "-" + settings.instanceId(), group);
        // a worker that died without leaving holds its partitions until its session expires
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return new KafkaConsumer<>(config);
    }

    private void consumeRequests() {
        KafkaConsumer<String, byte[]> consumer = consumer(settings.workerGroup(), "coupon-worker");
        try {
            consumer.subscribe(KafkaTopics.REQUESTS, assignmentsOf("requests", null));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    process(consumer, list(records));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("request consumer stopped; the instance reports DOWN", e);
        } finally {
            consumer.close(CLOSE);
        }
    }

    /**
     * Retries wait for their not-before time without blocking the loop: a partition whose next
     * record is not due is rewound to that record and paused until it is.
     */
    private void consumeRetries() {
        Map<TopicPartition, Long> pausedUntil = new HashMap<>();
        KafkaConsumer<String, byte[]> consumer = consumer(settings.workerGroup() + "-retry", "coupon-retry");
        try {
            consumer.subscribe(KafkaTopics.RETRIES, assignmentsOf("retries", pausedUntil));
            while (running) {
                resumeDue(consumer, pausedUntil);
                ConsumerRecords<String, byte[]> records = consumer.poll(RETRY_POLL);
                List<ConsumerRecord<String, byte[]>> due = new ArrayList<>();
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        long notBefore = KafkaHeaders.number(record.headers(), KafkaHeaders.NOT_BEFORE, 0);
                        if (notBefore > clock.millis()) {
                            consumer.seek(partition, record.offset());
                            consumer.pause(List.of(partition));
                            pausedUntil.put(partition, notBefore);
                            break;
                        }
                        due.add(record);
                    }
                }
                if (!due.isEmpty()) {
                    process(consumer, due);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("retry consumer stopped; the instance reports DOWN", e);
        } finally {
            consumer.close(CLOSE);
        }
    }

    private void resumeDue(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> pausedUntil) {
        long now = clock.millis();
        List<TopicPartition> ready = new ArrayList<>();
        pausedUntil.entrySet().removeIf(entry -> {
            if (entry.getValue() <= now) {
                ready.add(entry.getKey());
                return true;
            }
            return false;
        });
        ready.retainAll(consumer.assignment());
        if (!ready.isEmpty()) {
            consumer.resume(ready);
        }
    }

    /** Handles a batch, then commits past it; if its replies could not be sent, rewinds to redo it. */
    private void process(KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            next.put(partition, new OffsetAndMetadata(record.offset() + 1));
            first.putIfAbsent(partition, record.offset());
        }
        try {
            handler.handleAll(records).get(settings.requestTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.error("could not finish a batch of {} requests; it will be processed again", records.size(), e);
            first.forEach(consumer::seek);
            return;
        }
        consumer.commitSync(next);
    }

    private ConsumerRebalanceListener assignmentsOf(String which, Map<TopicPartition, Long> pausedUntil) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (pausedUntil != null) {
                    partitions.forEach(pausedUntil::remove);
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignedOnce.put(which, Boolean.TRUE);
                LOG.info("worker {} consumes {} partitions of the {} topics", settings.instanceId(),
                        partitions.size(), which);
            }
        };
    }

    private static List<ConsumerRecord<String, byte[]>> list(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        return all;
    }

    /** Lets the current batches finish and commit, then stops both consumers. */
    @Override
    public void close() {
        running = false;
        for (Thread thread : List.of(requests, retries)) {
            try {
                thread.join(settings.requestTimeout().toMillis() + 35_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(CLOSE);
        LOG.info("worker {} stopped", settings.instanceId());
    }
}
