package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The service's own settings of the Kafka transport, under {@code coupons.kafka.*}; application.yml
 * maps them from the environment. The clients' settings are under {@code kafka.*}, read by micronaut-kafka.
 */
@ConfigurationProperties("coupons.kafka")
final class KafkaConfiguration {

    private String instanceId = "";
    private Duration requestTimeout = Duration.ofSeconds(5);
    private int partitions = 6;
    private short replicationFactor = 1;
    private List<Duration> retryBackoffs = Settings.RETRY_BACKOFFS;
    private int maxMessageBytes = KafkaSettings.DEFAULT_MAX_MESSAGE_BYTES;
    private int maxInFlight = 10_000;
    /** 128 filters of at most 180 KB (100,000 holders at 0.1% false positives): about 23 MB at most. */
    private int soldOutKept = 128;
    private boolean batchClaims = true;

    KafkaSettings toSettings() {
        String id = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId.trim();
        return new KafkaSettings(id, requestTimeout, partitions, replicationFactor, retryBackoffs, maxMessageBytes,
                maxInFlight, soldOutKept, batchClaims);
    }

    /** The host name (as a topic name allows it) and a short random suffix, unique per start. */
    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "instance";
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (safe.length() > 100) {
            safe = safe.substring(0, 100);
        }
        return safe + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** REQUEST_TIMEOUT: the deadline of every request, in both modes. */
    Duration requestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public void setRetryBackoffs(List<Duration> retryBackoffs) {
        this.retryBackoffs = List.copyOf(retryBackoffs);
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public void setSoldOutKept(int soldOutKept) {
        this.soldOutKept = soldOutKept;
    }

    /** KAFKA_BATCH_CLAIMS: claims for one coupon travel together; off while a worker older than batches runs. */
    public void setBatchClaims(boolean batchClaims) {
        this.batchClaims = batchClaims;
    }

    public void setMaxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }
}
