package com.flashsale.coupon.adapter.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the transport runs.
 *
 * @param bootstrapServers  Kafka bootstrap servers
 * @param instanceId        names this instance's reply topic
 * @param requestTimeout    how long a gateway waits for a reply
 * @param partitions        partitions of each request, retry and dead-letter topic
 * @param replicationFactor replication factor of every topic
 * @param retryBackoffs     the wait before each retry; their count is the number of retries
 * @param workerGroup       consumer group of the workers (the retry consumer adds {@code -retry})
 * @param maxPollRecords    requests a worker takes per poll
 * @param maxMessageBytes   the largest record (a reply holding a coupon with 100,000 holders)
 */
public record KafkaSettings(String bootstrapServers, String instanceId, Duration requestTimeout, int partitions,
                            short replicationFactor, List<Duration> retryBackoffs, String workerGroup,
                            int maxPollRecords, int maxMessageBytes) {

    /** 32 MiB: the worst case reply is 100,000 ids of 64 four-byte characters, about 26 MB of JSON. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (!instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("instance id may use only A-Z a-z 0-9 . _ - : " + instanceId);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
        retryBackoffs = List.copyOf(retryBackoffs);
    }

    public String replyTopic() {
        return KafkaTopics.replyTopic(instanceId);
    }
}
