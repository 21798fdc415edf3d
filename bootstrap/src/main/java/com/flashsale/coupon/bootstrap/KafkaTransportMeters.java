package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.KafkaFlashSale;
import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.ReplyLatencyObserver;
import com.flashsale.coupon.adapter.kafka.RequestBatches;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The transport's own meters, in one place: reply latency, timeouts, late replies, requests in
 * flight, claims answered at the edge, retries, dead letters. The Kafka clients' own metrics (consumer lag among them) come
 * from micronaut-kafka's Micrometer binding, as {@code kafka_consumer_*} and {@code kafka_producer_*}.
 * The gateway and worker are reached lazily: the gateway itself reports each reply's latency here.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
final class KafkaTransportMeters implements ReplyLatencyObserver {

    private final Timer replies;
    private final BeanProvider<KafkaFlashSale> gateway;
    private final BeanProvider<RequestBatches> worker;

    KafkaTransportMeters(MeterRegistry registry, BeanProvider<KafkaFlashSale> gateway,
                         BeanProvider<RequestBatches> worker) {
        this.gateway = gateway;
        this.worker = worker;
        this.replies = Timer.builder("coupon.kafka.reply.latency")
                .description("From publishing a request to reading its reply")
                .publishPercentileHistogram().register(registry);
        FunctionCounter.builder("coupon.kafka.timeouts", this, m -> m.gateway.get().timeouts())
                .description("Requests answered 504 because no reply came before the deadline").register(registry);
        FunctionCounter.builder("coupon.kafka.late.replies", this, m -> m.gateway.get().lateReplies())
                .description("Replies that came after their caller had been answered").register(registry);
        Gauge.builder("coupon.kafka.in.flight", this, m -> m.gateway.get().inFlight())
                .description("Requests waiting for their reply").register(registry);
        FunctionCounter.builder("coupon.kafka.sold.out.edge.answers", this,
                        m -> m.gateway.get().soldOut().edgeAnswers())
                .description("Claims on sold-out coupons answered by the gateway, without Kafka").register(registry);
        Gauge.builder("coupon.kafka.sold.out.known", this, m -> m.gateway.get().soldOut().known())
                .description("Sold-out coupons the gateway answers claims of itself").register(registry);
        if (worker.isPresent()) {
            FunctionCounter.builder("coupon.kafka.retries", this, m -> m.worker.get().retries())
                    .description("Requests sent to a retry topic after a store outage").register(registry);
            FunctionCounter.builder("coupon.kafka.dead.letters", this, m -> m.worker.get().deadLetters())
                    .description("Requests sent to a dead-letter topic").register(registry);
            FunctionCounter.builder("coupon.kafka.expired.claims", this, m -> m.worker.get().expiredClaims())
                    .description("Claims not applied because their caller's deadline had passed").register(registry);
            FunctionCounter.builder("coupon.kafka.stale.replies", this, m -> m.worker.get().staleReplies())
                    .description("Replies not sent: their caller gave up over a minute ago, or its reply topic is gone")
                    .register(registry);
        }
    }

    @Override
    public void replied(long nanos) {
        replies.record(nanos, TimeUnit.NANOSECONDS);
    }
}
