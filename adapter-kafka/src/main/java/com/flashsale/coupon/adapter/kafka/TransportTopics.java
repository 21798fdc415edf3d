package com.flashsale.coupon.adapter.kafka;

import com.flashsale.coupon.adapter.kafka.wire.RequestKind;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the request, retry and dead-letter topics when they are missing, before any listener
 * subscribes or gateway publishes. micronaut-kafka's own {@code NewTopic} beans are not used: they
 * are created without waiting, and a listener that subscribes to a topic not yet there sees no
 * partition until its next metadata refresh, minutes later.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class TransportTopics {

    private static final Logger LOG = LoggerFactory.getLogger(TransportTopics.class);
    private static final String DEAD_LETTER_RETENTION_MS = Long.toString(14L * 24 * 3600 * 1000);
    /** How long start-up waits for the broker before it says it cannot be reached. */
    private static final int ADMIN_TIMEOUT_MS = 10_000;

    private final AdminClient admin;
    private final String bootstrapServers;

    TransportTopics(AdminClient admin, KafkaSettings settings, KafkaDefaultConfiguration kafka) {
        this.admin = admin;
        this.bootstrapServers = kafka.getConfig().getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        create(RequestKind.sharedTopics().stream().map(name -> {
            NewTopic topic = new NewTopic(name, settings.partitions(), settings.replicationFactor());
            return name.endsWith(".dlq") ? topic.configs(Map.of("retention.ms", DEAD_LETTER_RETENTION_MS)) : topic;
        }).toList());
    }

    /** Creates the topics that do not exist yet; says in one sentence why when Kafka cannot be reached. */
    public void create(List<NewTopic> topics) {
        var results = admin.createTopics(topics, new CreateTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(ADMIN_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
                LOG.info("created topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw unreachable("could not create topic " + entry.getKey() + ": " + e.getCause().getMessage());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw unreachable("no answer within " + (ADMIN_TIMEOUT_MS / 1000) + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating Kafka topics", e);
            }
        }
    }

    /** Deletes a topic, waiting at most {@code timeoutMillis}; false if Kafka did not confirm it. */
    public boolean delete(String topic, int timeoutMillis) {
        try {
            admin.deleteTopics(List.of(topic), new DeleteTopicsOptions().timeoutMs(timeoutMillis))
                    .all().get(timeoutMillis + 500L, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("could not delete topic {}: {}", topic, e.toString());
            return false;
        }
    }

    private KafkaUnavailableException unreachable(String why) {
        return new KafkaUnavailableException("Kafka is not reachable at " + bootstrapServers + " (KAFKA_BROKERS): "
                + why + ". Start a broker there, point KAFKA_BROKERS at one, or set EVENT_DRIVEN_ENABLED=false"
                + " to run without Kafka.");
    }
}
