package com.flashsale.coupon.adapter.kafka;

import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import java.time.Duration;
import java.util.List;

/**
 * The service's own settings of the transport, under {@code coupons.kafka.*}. The Kafka clients'
 * settings live under {@code kafka.*}, where micronaut-kafka reads them; nothing here may go there,
 * because micronaut-kafka copies every {@code kafka.*} key into every client's configuration.
 *
 * @param instanceId        names this instance's reply topic
 * @param requestTimeout    how long a gateway waits for a reply
 * @param partitions        partitions of each request, retry and dead-letter topic
 * @param replicationFactor replication factor of every topic
 * @param retryBackoffs     the wait before each retry; their count is the number of retries
 * @param maxMessageBytes   the largest record a topic accepts (a reply holding a coupon with 100,000 holders)
 * @param maxInFlight       requests a gateway lets wait for their replies at once; past it, one is refused
 * @param soldOutKept       sold-out coupons a gateway keeps to answer at the edge, the most recent ones
 * @param batchClaims       a gateway sends the claims that come for one coupon while its last record
 *                          is on its way in one record; off, every claim is a record of its own, which
 *                          workers of every version read (for a rolling upgrade)
 */
public record KafkaSettings(String instanceId, Duration requestTimeout, int partitions, short replicationFactor,
                            List<Duration> retryBackoffs, int maxMessageBytes, int maxInFlight, int soldOutKept,
                            boolean batchClaims) {

    /** The property that switches the transport on; every bean of this adapter requires it. */
    public static final String EVENT_DRIVEN = "coupons.event-driven";
    /** Set to {@code false} to run a gateway without a worker (tests of lost replies). */
    public static final String WORKER_ENABLED = "coupons.kafka.worker-enabled";

    /**
     * How often the workers commit their offsets, in milliseconds: the request worker's own commits,
     * and the retry worker's {@code auto.commit.interval.ms}. A commit after every poll would be one
     * more write of the group coordinator each time; a crash reads again at most this much of
     * disposed requests, which their request ids make harmless.
     */
    public static final String COMMIT_INTERVAL_MS = "200";

    /** 32 MiB: the worst case reply is 100,000 ids of 64 four-byte characters, about 26 MB of JSON. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    public KafkaSettings {
        if (!instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("instance id may use only A-Z a-z 0-9 . _ - : " + instanceId);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
        retryBackoffs = List.copyOf(retryBackoffs);
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in flight must be at least 1: " + maxInFlight);
        }
        if (soldOutKept < 0) {
            throw new IllegalArgumentException("sold-out coupons kept must not be negative: " + soldOutKept);
        }
    }

    public String replyTopic() {
        return KafkaTopics.replyTopic(instanceId);
    }
}
