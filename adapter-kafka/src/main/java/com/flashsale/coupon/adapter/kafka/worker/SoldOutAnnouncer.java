package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.wire.HolderFilter;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.wire.Messages.SoldOut;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.port.in.FlashSale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of sold-out at the edge: the first time this worker answers {@code sold_out}
 * for a coupon, it reads the coupon and publishes its holders as a {@link HolderFilter} to the
 * compacted {@code coupon.sold-out}, keyed by coupon name, for every gateway (its {@code SoldOutTopic}).
 *
 * <p>It publishes only what it has checked is final: no stock left, and as many holders as the
 * coupon issued. Every claim takes one unit in the same transaction that stores it, so a coupon
 * read with nothing left and all its holders can never gain another. A read that shows anything
 * else (a read racing the last batch) publishes nothing, and the next {@code sold_out} tries
 * again. Two workers may announce one coupon; the records are equal, and compaction keeps one.
 */
final class SoldOutAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(SoldOutAnnouncer.class);
    /** Coupons this worker has announced or is announcing; beyond it, an old one may be announced again. */
    private static final int REMEMBERED = 10_000;

    private final FlashSale useCases;
    private final Producer<String, byte[]> producer;
    private final Map<CouponName, Boolean> announced = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CouponName, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    SoldOutAnnouncer(FlashSale useCases, Producer<String, byte[]> producer) {
        this.useCases = useCases;
        this.producer = producer;
    }

    /** Told of every {@code sold_out} the worker answers; announces each coupon once. */
    void soldOut(CouponName coupon) {
        synchronized (announced) {
            if (announced.putIfAbsent(coupon, Boolean.TRUE) != null) {
                return;
            }
        }
        useCases.find(coupon).whenComplete((found, failure) -> {
            Optional<String> notFinal = failure != null ? Optional.of("could not read it: " + failure)
                    : found.isEmpty() ? Optional.of("it was not found")
                    : whyNotFinal(found.get());
            if (notFinal.isPresent()) {
                forget(coupon);
                LOG.info("coupon {} not announced sold out yet: {}", coupon, notFinal.get());
                return;
            }
            Coupon sold = found.get();
            byte[] message = Wire.write(SoldOut.from(coupon, sold.claimedBy().size(), HolderFilter.of(sold.claimedBy())));
            producer.send(new ProducerRecord<>(KafkaTopics.SOLD_OUT, coupon.value(), message), (metadata, error) -> {
                if (error != null) {
                    forget(coupon);
                    LOG.warn("could not announce coupon {} sold out: {}", coupon, error.toString());
                } else {
                    LOG.info("announced coupon {} sold out to {} holders ({} bytes)", coupon, sold.claimedBy().size(),
                            message.length);
                }
            });
        });
    }

    /** Empty when the coupon's holders are final ({@link Coupon#isFinal}); otherwise why not. */
    static Optional<String> whyNotFinal(Coupon coupon) {
        if (coupon.isFinal()) {
            return Optional.empty();
        }
        return Optional.of(coupon.remainingAmount() != 0 ? coupon.remainingAmount() + " left"
                : coupon.claimedBy().size() + " holders read of " + coupon.amount().value() + " issued");
    }

    private void forget(CouponName coupon) {
        synchronized (announced) {
            announced.remove(coupon);
        }
    }
}
