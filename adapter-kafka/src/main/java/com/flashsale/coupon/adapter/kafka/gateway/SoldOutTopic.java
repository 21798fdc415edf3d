package com.flashsale.coupon.adapter.kafka.gateway;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportObserver;
import com.flashsale.coupon.adapter.kafka.TransportTopics;
import com.flashsale.coupon.adapter.kafka.wire.HolderFilter;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.wire.Messages.SoldOut;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
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
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * announcement is made only when they are final (see {@code SoldOutAnnouncer}, in the worker).
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
    /** A coupon sold out more than a week ago leaves the topic; its claims go through Kafka. */
    private static final long RETENTION_MS = 7L * 24 * 3600 * 1000;

    private final int kept;
    private final GrouplessReader reader;
    private final Map<CouponName, HolderFilter> filters = new ConcurrentHashMap<>();
    /** Arrival order of {@link #filters}' keys, for eviction; written by the poller only. */
    private final ArrayDeque<CouponName> arrival = new ArrayDeque<>();
    private final TransportObserver observer;

    SoldOutTopic(KafkaSettings settings, TransportTopics topics, KafkaConsumerFactory consumers,
                 AbstractKafkaConsumerConfiguration<?, ?> defaults, @Nullable TransportObserver observer) {
        this.kept = settings.soldOutKept();
        this.observer = observer == null ? TransportObserver.NONE : observer;
        topics.create(List.of(new NewTopic(KafkaTopics.SOLD_OUT, 1, settings.replicationFactor()).configs(Map.of(
                "cleanup.policy", "compact,delete",
                "retention.ms", Long.toString(RETENTION_MS),
                "max.message.bytes", Integer.toString(settings.maxMessageBytes())))));
        // what an instance must know before it serves: the last records, up to the end as it is now
        this.reader = new GrouplessReader(consumers, defaults, "coupon-sold-out-" + settings.instanceId(),
                KafkaTopics.SOLD_OUT, "claims on sold-out coupons go through Kafka", this::learn);
        reader.startWithLast(kept, "coupon-gateway-sold-out");
        LOG.info("gateway knows {} sold-out coupons from {}", filters.size(), KafkaTopics.SOLD_OUT);
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
        return reader.isReading();
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
        reader.close();
    }
}
