package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.KafkaFlashSale;
import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.KafkaTopicSetup;
import com.flashsale.coupon.adapter.kafka.RequestWorker;
import com.flashsale.coupon.application.FlashSaleUseCases;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Event-driven mode: the HTTP adapter's {@link FlashSale} is the Kafka gateway, and this instance
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
    @Bean(typed = {FlashSale.class, KafkaFlashSale.class}, preDestroy = "close")
    KafkaFlashSale gateway(KafkaSettings settings) {
        return KafkaFlashSale.start(settings);
    }

    @Context
    @Requires(property = "coupons.kafka.worker-enabled", notEquals = "false")
    @Bean(preDestroy = "close")
    RequestWorker worker(KafkaSettings settings, FlashSaleUseCases useCases) {
        return RequestWorker.start(settings, useCases);
    }
}
