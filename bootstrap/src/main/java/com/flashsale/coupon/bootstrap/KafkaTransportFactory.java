package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Event-driven mode: the settings the Kafka adapter's beans are built with. The adapter's beans
 * (gateway, listeners, topics) are its own; its clients come from micronaut-kafka.
 */
@Factory
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
final class KafkaTransportFactory {

    @Singleton
    KafkaSettings kafkaSettings(KafkaConfiguration configuration) {
        return configuration.toSettings();
    }
}
