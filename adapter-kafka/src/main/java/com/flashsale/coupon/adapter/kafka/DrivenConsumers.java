package com.flashsale.coupon.adapter.kafka;

import io.micronaut.configuration.kafka.KafkaConsumerFactory;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.configuration.kafka.config.DefaultKafkaConsumerConfiguration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The settings of the consumers this adapter drives itself instead of through a
 * {@code @KafkaListener} (the gateway's reply and sold-out readers, the request worker), for
 * micronaut-kafka's {@link KafkaConsumerFactory} to build.
 */
public final class DrivenConsumers {

    private DrivenConsumers() {
    }

    /**
     * {@code kafka.consumers.default}, with the metrics reporter every consumer gets; string keys
     * and byte values; {@code clientId}; and no automatic commit: such a consumer commits what it
     * decides to, or nothing. The caller adds what is its own.
     */
    public static DefaultKafkaConsumerConfiguration<String, byte[]> configuration(
            AbstractKafkaConsumerConfiguration<?, ?> defaults, String clientId) {
        DefaultKafkaConsumerConfiguration<String, byte[]> config = new DefaultKafkaConsumerConfiguration<>(defaults);
        config.setKeyDeserializer(new StringDeserializer());
        config.setValueDeserializer(new ByteArrayDeserializer());
        config.getConfig().put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.getConfig().put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }
}
