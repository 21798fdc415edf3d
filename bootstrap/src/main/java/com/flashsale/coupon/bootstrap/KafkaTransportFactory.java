package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.KafkaFlashSale;
import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.KafkaTopicSetup;
import com.flashsale.coupon.adapter.kafka.RequestWorker;
import com.flashsale.coupon.application.FlashSaleUseCases;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Event-driven mode: the HTTP adapter's port is the Kafka gateway, and this instance
 * also runs a worker that serves requests with the use cases. Both start with the context, so the
 * reply partitions are assigned before the HTTP server takes a request.
 */
@Factory
@Requires(property = "coupons.event-driven", value = "true")
final class KafkaTransportFactory {

    @Singleton
    KafkaSettings kafkaSettings(KafkaConfiguration configuration) {
        KafkaSettings settings = configuration.toSettings();
        KafkaTopicSetup.ensureTopics(settings);
        return settings;
    }

    @Context
    @Bean(typed = KafkaFlashSale.class, preDestroy = "close")
    KafkaFlashSale gateway(KafkaSettings settings, MeterRegistry registry) {
        Timer replies = Timer.builder("coupon.kafka.reply.latency")
                .description("From publishing a request to reading its reply")
                .publishPercentileHistogram().register(registry);
        KafkaFlashSale gateway = KafkaFlashSale.start(settings, nanos -> replies.record(nanos, TimeUnit.NANOSECONDS));
        FunctionCounter.builder("coupon.kafka.timeouts", gateway, KafkaFlashSale::timeouts)
                .description("Requests answered 504 because no reply came before the deadline").register(registry);
        FunctionCounter.builder("coupon.kafka.late.replies", gateway, KafkaFlashSale::lateReplies)
                .description("Replies that came after their caller had been answered").register(registry);
        Gauge.builder("coupon.kafka.in.flight", gateway, KafkaFlashSale::inFlight)
                .description("Requests waiting for their reply").register(registry);
        return gateway;
    }

    @Context
    @Requires(property = "coupons.kafka.worker-enabled", notEquals = "false")
    @Bean(preDestroy = "close")
    RequestWorker worker(KafkaSettings settings, FlashSaleUseCases useCases, MeterRegistry registry) {
        RequestWorker worker = RequestWorker.start(settings, useCases);
        FunctionCounter.builder("coupon.kafka.retries", worker, RequestWorker::retriesSent)
                .description("Requests sent to a retry topic after a store outage").register(registry);
        FunctionCounter.builder("coupon.kafka.dead.letters", worker, RequestWorker::deadLetters)
                .description("Requests sent to a dead-letter topic").register(registry);
        return worker;
    }
}
