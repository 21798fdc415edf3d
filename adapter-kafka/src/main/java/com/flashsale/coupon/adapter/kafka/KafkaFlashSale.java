package com.flashsale.coupon.adapter.kafka;

import com.flashsale.coupon.adapter.kafka.Messages.ClaimRequest;
import com.flashsale.coupon.adapter.kafka.Messages.CreateRequest;
import com.flashsale.coupon.adapter.kafka.Messages.GetRequest;
import com.flashsale.coupon.adapter.kafka.Messages.Reply;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FlashSale} port over Kafka: publishes each request keyed by coupon name, with a
 * correlation id and this instance's reply topic, and completes the caller's stage when the reply
 * arrives, or fails it with {@link OutcomeUnknownException} at the deadline.
 *
 * <p>The reply topic is read with {@code assign()} on all its partitions, from the end, before
 * {@link #start} returns: no consumer group, so no rebalance to wait for and no early reply lost.
 */
public final class KafkaFlashSale implements FlashSale, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFlashSale.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Replies only serve the instance that waits for them; a crashed instance's topic empties soon. */
    private static final long REPLY_RETENTION_MS = 5 * 60_000L;

    private final KafkaSettings settings;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> replies;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines;
    /** Sends happen here, never on the caller's thread, which may be a Netty event loop. */
    private final ExecutorService sender;
    private final Thread poller;
    private final LongAdder lateReplies = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile long lastPollNanos = System.nanoTime();

    private record Pending(CompletableFuture<Reply> reply, ScheduledFuture<?> deadline, String what, long sentNanos) {
    }

    /** Told how long each reply took, from publishing the request to reading its reply. */
    @FunctionalInterface
    public interface ReplyLatencyObserver {
        ReplyLatencyObserver NONE = nanos -> { };

        void replied(long nanos);
    }

    private final ReplyLatencyObserver latencyObserver;

    private KafkaFlashSale(KafkaSettings settings, ReplyLatencyObserver latencyObserver) {
        this.settings = settings;
        this.latencyObserver = latencyObserver;
        String clientId = "coupon-gateway-" + settings.instanceId();
        this.admin = Admin.create(KafkaClients.admin(settings, clientId));
        this.producer = new KafkaProducer<>(KafkaClients.producer(settings, clientId));
        this.replies = new KafkaConsumer<>(KafkaClients.consumer(settings, clientId, null));
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemon("coupon-gateway-deadlines"));
        this.sender = Executors.newSingleThreadExecutor(daemon("coupon-gateway-send"));
        this.poller = daemon("coupon-gateway-replies").newThread(this::pollReplies);
    }

    /**
     * Creates this instance's reply topic, assigns all its partitions at their end, and starts
     * reading replies. Returns once a reply sent from now on is certain to be seen.
     */
    public static KafkaFlashSale start(KafkaSettings settings) {
        return start(settings, ReplyLatencyObserver.NONE);
    }

    /** As {@link #start(KafkaSettings)}, telling {@code latencyObserver} the latency of every reply. */
    public static KafkaFlashSale start(KafkaSettings settings, ReplyLatencyObserver latencyObserver) {
        KafkaFlashSale gateway = new KafkaFlashSale(settings, latencyObserver);
        try {
            gateway.createReplyTopic();
            gateway.assignReplyPartitions();
            for (String topic : KafkaTopics.REQUESTS) {
                gateway.producer.partitionsFor(topic); // metadata now, not on the first request
            }
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        gateway.poller.start();
        LOG.info("gateway {} ready: replies on {}", settings.instanceId(), settings.replyTopic());
        return gateway;
    }

    @Override
    public CompletionStage<CreateOutcome> create(CreateCoupon command) {
        return request(KafkaTopics.CREATE_REQUESTS, command.name().value(), CreateRequest.from(command),
                "create " + command.name() + " (request " + command.requestId() + ")")
                .thenApply(Reply::toCreateOutcome);
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
        return request(KafkaTopics.CLAIM_REQUESTS, command.couponName().value(), ClaimRequest.from(command),
                "claim " + command.couponName() + " for " + command.userId() + " (request " + command.requestId() + ")")
                .thenApply(Reply::toClaimOutcome);
    }

    @Override
    public CompletionStage<Optional<Coupon>> find(CouponName name) {
        return request(KafkaTopics.GET_REQUESTS, name.value(), GetRequest.from(name), "read " + name)
                .thenApply(Reply::toFound);
    }

    /** True while the reply partitions are assigned and read; false means replies would be missed. */
    public boolean isReady() {
        return running && assigned && poller.isAlive()
                && System.nanoTime() - lastPollNanos < TimeUnit.SECONDS.toNanos(10);
    }

    /** Replies that came after their caller had been answered {@code timeout}. */
    public long lateReplies() {
        return lateReplies.sum();
    }

    /** Requests answered {@code timeout} because no reply came before the deadline. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Requests waiting for a reply now. */
    public int inFlight() {
        return pending.size();
    }

    public String replyTopic() {
        return settings.replyTopic();
    }

    private CompletableFuture<Reply> request(String topic, String key, Object message, String what) {
        String correlationId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + settings.requestTimeout().toMillis();
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        ScheduledFuture<?> timer = deadlines.schedule(() -> expire(correlationId),
                settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(correlationId, new Pending(reply, timer, what, System.nanoTime()));

        RecordHeaders headers = new RecordHeaders();
        KafkaHeaders.set(headers, KafkaHeaders.CORRELATION_ID, correlationId);
        KafkaHeaders.set(headers, KafkaHeaders.REPLY_TO, settings.replyTopic());
        KafkaHeaders.set(headers, KafkaHeaders.DEADLINE, deadline);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, null, key, Wire.write(message), headers);
        try {
            sender.execute(() -> send(record, correlationId));
        } catch (RuntimeException e) {
            fail(correlationId, e);
        }
        return reply;
    }

    private void send(ProducerRecord<String, byte[]> record, String correlationId) {
        try {
            producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    fail(correlationId, exception);
                }
            });
        } catch (RuntimeException e) {
            fail(correlationId, e);
        }
    }

    private void fail(String correlationId, Throwable cause) {
        Pending waiting = pending.remove(correlationId);
        if (waiting != null) {
            waiting.deadline().cancel(false);
            LOG.warn("could not publish {} (correlation {}): {}", waiting.what(), correlationId, cause.toString());
            waiting.reply().completeExceptionally(
                    new IllegalStateException("could not publish the request to Kafka: " + cause.getMessage(), cause));
        }
    }

    private void expire(String correlationId) {
        Pending waiting = pending.remove(correlationId);
        if (waiting != null) {
            timeouts.increment();
            waiting.reply().completeExceptionally(new OutcomeUnknownException(
                    "no reply to " + waiting.what() + " within " + settings.requestTimeout().toMillis() + " ms"
                            + " (correlation " + correlationId + ")"));
        }
    }

    private void pollReplies() {
        try {
            while (running) {
                var records = replies.poll(POLL);
                lastPollNanos = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("reply poller of {} stopped; the instance reports DOWN", settings.instanceId(), e);
        } finally {
            assigned = false;
            replies.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        String correlationId = KafkaHeaders.text(record.headers(), KafkaHeaders.CORRELATION_ID);
        Pending waiting = correlationId == null ? null : pending.remove(correlationId);
        if (waiting == null) {
            lateReplies.increment();
            LOG.info("late reply for coupon {} (correlation {}): its caller was already answered",
                    record.key(), correlationId);
            return;
        }
        waiting.deadline().cancel(false);
        latencyObserver.replied(System.nanoTime() - waiting.sentNanos());
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

    private void createReplyTopic() {
        NewTopic topic = new NewTopic(settings.replyTopic(), 1, settings.replicationFactor()).configs(Map.of(
                "retention.ms", Long.toString(REPLY_RETENTION_MS),
                "max.message.bytes", Integer.toString(settings.maxMessageBytes())));
        KafkaTopicSetup.createIgnoringExisting(admin, List.of(topic));
    }

    private void assignReplyPartitions() {
        // a topic created a moment ago may not be in this client's metadata yet
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<PartitionInfo> infos = replies.partitionsFor(settings.replyTopic(), Duration.ofSeconds(30));
        while ((infos == null || infos.isEmpty()) && System.nanoTime() < giveUp) {
            sleep(50);
            infos = replies.partitionsFor(settings.replyTopic(), Duration.ofSeconds(30));
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("reply topic " + settings.replyTopic() + " has no partitions after 30 s");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        replies.assign(partitions);
        replies.seekToEnd(partitions);
        for (TopicPartition partition : partitions) {
            replies.position(partition, Duration.ofSeconds(30)); // resolves the seek now
        }
        assigned = true;
    }

    /** Stops reading replies, answers every waiting caller {@code timeout}, and deletes the reply topic. */
    @Override
    public void close() {
        running = false;
        replies.wakeup();
        if (poller.getState() == Thread.State.NEW) {
            // start() failed before the poller ran; otherwise the poller closes the consumer itself
            replies.close(Duration.ofSeconds(5));
        } else {
            try {
                poller.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String correlationId : List.copyOf(pending.keySet())) {
            Pending waiting = pending.remove(correlationId);
            if (waiting != null) {
                waiting.reply().completeExceptionally(new OutcomeUnknownException(
                        "the instance shut down before the reply to " + waiting.what() + " came"));
            }
        }
        sender.shutdown();
        deadlines.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        try {
            admin.deleteTopics(List.of(settings.replyTopic())).all().get(3, TimeUnit.SECONDS);
            LOG.info("gateway {} stopped; deleted {}", settings.instanceId(), settings.replyTopic());
        } catch (Exception e) {
            LOG.warn("could not delete reply topic {}; its retention will empty it: {}",
                    settings.replyTopic(), e.toString());
        } finally {
            admin.close(Duration.ofSeconds(2));
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

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
