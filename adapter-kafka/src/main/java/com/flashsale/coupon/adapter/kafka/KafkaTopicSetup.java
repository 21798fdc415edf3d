package com.flashsale.coupon.adapter.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the request, retry and dead-letter topics at start-up when they are missing. */
public final class KafkaTopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicSetup.class);
    private static final String DEAD_LETTER_RETENTION_MS = Long.toString(14L * 24 * 3600 * 1000);

    private KafkaTopicSetup() {
    }

    /** Ensures every shared topic exists, with the configured partitions and replication. */
    public static void ensureTopics(KafkaSettings settings) {
        try (Admin admin = Admin.create(KafkaClients.admin(settings, "coupon-setup-" + settings.instanceId()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : KafkaTopics.REQUESTS) {
                topics.add(new NewTopic(topic, settings.partitions(), settings.replicationFactor()));
            }
            for (String topic : KafkaTopics.RETRIES) {
                topics.add(new NewTopic(topic, settings.partitions(), settings.replicationFactor()));
            }
            for (String topic : KafkaTopics.DEAD_LETTERS) {
                topics.add(new NewTopic(topic, settings.partitions(), settings.replicationFactor())
                        .configs(Map.of("retention.ms", DEAD_LETTER_RETENTION_MS)));
            }
            createIgnoringExisting(admin, topics);
        }
    }

    static void createIgnoringExisting(Admin admin, List<NewTopic> topics) {
        var results = admin.createTopics(topics).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(30, TimeUnit.SECONDS);
                LOG.info("created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + entry.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create topic " + entry.getKey() + " within 30 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
    }
}
