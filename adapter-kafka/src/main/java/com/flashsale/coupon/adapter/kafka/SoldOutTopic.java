package com.flashsale.coupon.adapter.kafka;

import com.flashsale.coupon.adapter.kafka.Messages.SoldOut;
import com.flashsale.coupon.domain.ClaimBatchRule;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.CouponName;
import io.micronaut.configuration.kafka.KafkaConsumerFactory;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's knowledge of sold-out coupons, read from {@code coupon.sold-out}: for each, a
 * {@link HolderFilter} of its holders. A claim on a known sold-out coupon by a user the filter
 * certainly does not hold is answered here, with no Kafka round trip, by the claim rule itself
 * (no stock, no holding: {@code sold_out}). Anyone the filter might hold goes to the worker, which
 * tells a holder {@code already_claimed}, or {@code claimed} for its own request id.
 *
 * <p>Safe to cache for good: stock never grows, so a sold-out coupon's holders never change. The
 * announcement is made only when they are final (see {@link SoldOutAnnouncer}).
 *
 * <p>Bounded: at start the last {@code soldOutKept} records of the topic are read, before the
 * instance reports ready, and at most that many coupons are kept, the most recently announced;
 * claims on older ones go through Kafka as before. Driven by hand with {@code assign()}, as
 * {@link ReplyTopic} is and for the same reasons: every instance reads the whole topic, with no
 * consumer group.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class SoldOutTopic {

    private static final Logger LOG = LoggerFactory.getLogger(SoldOutTopic.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A coupon sold out more than a week ago leaves the topic; its claims go through Kafka. */
    private static final long RETENTION_MS = 7L * 24 * 3600 * 1000;
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final int kept;
    private final Consumer<String, byte[]> consumer;
    private final Map<CouponName, HolderFilter> filters = new ConcurrentHashMap<>();
    /** Arrival order of {@link #filters}' keys, for eviction; written by the poller only. */
    private final ArrayDeque<CouponName> arrival = new ArrayDeque<>();
    private final TransportObserver observer;
    private final Thread poller;
    private volatile boolean running = true;

    SoldOutTopic(KafkaSettings settings, TransportTopics topics, KafkaConsumerFactory consumers,
                 AbstractKafkaConsumerConfiguration<?, ?> defaults, @Nullable TransportObserver observer) {
        this.kept = settings.soldOutKept();
        this.observer = observer == null ? TransportObserver.NONE : observer;
        topics.create(List.of(new NewTopic(KafkaTopics.SOLD_OUT, 1, settings.replicationFactor()).configs(Map.of(
                "cleanup.policy", "compact,delete",
                "retention.ms", Long.toString(RETENTION_MS),
                "max.message.bytes", Integer.toString(settings.maxMessageBytes())))));
        this.consumer = GrouplessConsumers.create(consumers, defaults, "coupon-sold-out-" + settings.instanceId());
        try {
            catchUp();
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(2));
            throw e;
        }
        this.poller = new Thread(this::poll, "coupon-gateway-sold-out");
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * The edge answer for a claim, when there is one: {@code sold_out} for a user who certainly
     * holds no unit of a coupon known to be sold out; empty when the claim must go to the worker.
     */
    Optional<ClaimOutcome> answer(ClaimCoupon claim) {
        HolderFilter holders = filters.get(claim.couponName());
        if (holders == null || holders.mightHold(claim.userId())) {
            return Optional.empty();
        }
        observer.answeredAtTheEdge();
        return Optional.of(ClaimBatchRule.decide(0, Map.of(), List.of(claim)).outcomes().get(0));
    }

    /** True once the coupon is known here to be sold out. */
    public boolean knows(CouponName coupon) {
        return filters.containsKey(coupon);
    }

    /** Sold-out coupons known here. */
    public int known() {
        return filters.size();
    }

    /** True while the topic is read; false means new sold-out coupons would go unnoticed (and through Kafka). */
    public boolean isReady() {
        return running && poller.isAlive();
    }

    /** Reads the last {@code kept} records, up to the end as it is now: what an instance must know before it serves. */
    private void catchUp() {
        TopicPartition partition = new TopicPartition(KafkaTopics.SOLD_OUT, 0);
        consumer.assign(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), CATCH_UP).get(partition);
        long start = consumer.beginningOffsets(List.of(partition), CATCH_UP).get(partition);
        consumer.seek(partition, Math.max(start, end - kept));
        long giveUp = System.nanoTime() + CATCH_UP.toNanos();
        while (consumer.position(partition, CATCH_UP) < end) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("could not read " + KafkaTopics.SOLD_OUT + " to its end in "
                        + CATCH_UP.toSeconds() + " s");
            }
            consumer.poll(POLL).forEach(this::learn);
        }
        LOG.info("gateway knows {} sold-out coupons from {}", filters.size(), KafkaTopics.SOLD_OUT);
    }

    private void poll() {
        try {
            while (running) {
                consumer.poll(POLL).forEach(this::learn);
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("reader of {} stopped; claims on sold-out coupons go through Kafka", KafkaTopics.SOLD_OUT, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void learn(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: nothing to learn
        }
        SoldOut soldOut;
        HolderFilter holders;
        try {
            soldOut = Wire.read(record.value(), SoldOut.class);
            holders = soldOut.filter();
        } catch (Wire.MalformedMessageException e) {
            LOG.warn("ignoring record {} of {} (key {}): {}", record.offset(), record.topic(), record.key(),
                    e.getMessage());
            return;
        }
        CouponName coupon = soldOut.coupon();
        if (filters.put(coupon, holders) == null) {
            arrival.addLast(coupon);
            while (arrival.size() > kept) {
                filters.remove(arrival.removeFirst());
            }
            LOG.info("coupon {} sold out to {} holders; its other claims are answered at the edge", coupon,
                    soldOut.holders());
        }
    }

    @PreDestroy
    void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
