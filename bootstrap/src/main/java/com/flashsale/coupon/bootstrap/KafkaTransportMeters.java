package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportObserver;
import com.flashsale.coupon.adapter.kafka.gateway.KafkaFlashSale;
import com.flashsale.coupon.adapter.kafka.gateway.SoldOutTopic;
import com.flashsale.coupon.adapter.kafka.worker.RequestBatches;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The transport's own meters, in one place: reply latency, timeouts, late replies, requests in
 * flight, claims per request record, claims answered at the edge, retries, dead letters, expired claims and stale replies.
 * The adapter pushes each event here ({@link TransportObserver}); only the two gauges read its
 * state, lazily, because the gateway is built with this observer. The Kafka clients' own metrics
 * (consumer lag among them) come from micronaut-kafka's Micrometer binding, as
 * {@code kafka_consumer_*} and {@code kafka_producer_*}.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
final class KafkaTransportMeters implements TransportObserver {

    private final Timer replies;
    private final Counter timeouts;
    private final Counter lateReplies;
    private final DistributionSummary claimsPerRecord;
    private final Counter edgeAnswers;
    private final Counter retries;
    private final Counter deadLetters;
    private final Counter expiredClaims;
    private final Counter staleReplies;

    KafkaTransportMeters(MeterRegistry registry, BeanProvider<KafkaFlashSale> gateway,
                         BeanProvider<SoldOutTopic> soldOut, BeanProvider<RequestBatches> worker) {
        this.replies = Timer.builder("coupon.kafka.reply.latency")
                .description("From publishing a request to reading its reply")
                .publishPercentileHistogram().register(registry);
        this.timeouts = Counter.builder("coupon.kafka.timeouts")
                .description("Requests answered 504 because no reply came before the deadline").register(registry);
        this.lateReplies = Counter.builder("coupon.kafka.late.replies")
                .description("Replies that came after their caller had been answered").register(registry);
        Gauge.builder("coupon.kafka.in.flight", gateway, g -> g.get().inFlight())
                .description("Requests waiting for their reply").register(registry);
        this.claimsPerRecord = DistributionSummary.builder("coupon.kafka.claims.per.record")
                .description("Claims carried by each claim request record the gateway published")
                .register(registry);
        this.edgeAnswers = Counter.builder("coupon.kafka.sold.out.edge.answers")
                .description("Claims on sold-out coupons answered by the gateway, without Kafka").register(registry);
        Gauge.builder("coupon.kafka.sold.out.known", soldOut, s -> s.get().known())
                .description("Sold-out coupons the gateway answers claims of itself").register(registry);
        // a worker's meters only where a worker runs, so that a gateway alone does not show zeros
        boolean working = worker.isPresent();
        this.retries = working ? Counter.builder("coupon.kafka.retries")
                .description("Requests sent to a retry topic after a store outage").register(registry) : null;
        this.deadLetters = working ? Counter.builder("coupon.kafka.dead.letters")
                .description("Requests sent to a dead-letter topic").register(registry) : null;
        this.expiredClaims = working ? Counter.builder("coupon.kafka.expired.claims")
                .description("Claims not applied because their caller's deadline had passed").register(registry) : null;
        this.staleReplies = working ? Counter.builder("coupon.kafka.stale.replies")
                .description("Replies not sent: their caller gave up over a minute ago, or its reply topic is gone")
                .register(registry) : null;
    }

    @Override
    public void replied(long nanos) {
        replies.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void timedOut() {
        timeouts.increment();
    }

    @Override
    public void lateReply() {
        lateReplies.increment();
    }

    @Override
    public void claimRecordSent(int claims) {
        claimsPerRecord.record(claims);
    }

    @Override
    public void answeredAtTheEdge() {
        edgeAnswers.increment();
    }

    @Override
    public void retried() {
        retries.increment();
    }

    @Override
    public void deadLettered() {
        deadLetters.increment();
    }

    @Override
    public void expired() {
        expiredClaims.increment();
    }

    @Override
    public void staleReplies(int count) {
        staleReplies.increment(count);
    }
}
