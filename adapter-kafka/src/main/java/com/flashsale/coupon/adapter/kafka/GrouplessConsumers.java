package com.flashsale.coupon.adapter.kafka;

import io.micronaut.configuration.kafka.KafkaConsumerFactory;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.configuration.kafka.config.DefaultKafkaConsumerConfiguration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumers that read their partitions with {@code assign()}, in no consumer group and committing
 * nothing: the reply topic and the sold-out topic, which every gateway reads for itself.
 * micronaut-kafka has no annotation for assigned partitions, so they come from its
 * {@link KafkaConsumerFactory}, with the {@code kafka.consumers.default} settings and the metrics
 * reporter that every other consumer gets.
 */
final class GrouplessConsumers {

    private GrouplessConsumers() {
    }

    static Consumer<String, byte[]> create(KafkaConsumerFactory consumers,
                                           AbstractKafkaConsumerConfiguration<?, ?> defaults, String clientId) {
        DefaultKafkaConsumerConfiguration<String, byte[]> config = new DefaultKafkaConsumerConfiguration<>(defaults);
        config.setKeyDeserializer(new StringDeserializer());
        config.setValueDeserializer(new ByteArrayDeserializer());
        config.getConfig().remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.getConfig().put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.getConfig().put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return consumers.createConsumer(config);
    }
}
