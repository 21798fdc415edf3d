package com.flashsale.coupon.bootstrap;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** How meters are shaped before they reach {@code /prometheus}. */
@Factory
final class MetricsFactory {

    /**
     * Keeps one set of tag keys per Kafka meter name, as Prometheus requires: the Kafka clients
     * report many metrics under one name per client, per broker connection ({@code node-id}) and
     * per topic, and Prometheus would refuse all but the first to register, with a warning. Kept:
     * the per-client meters, and the per-partition ones whose names are theirs alone, consumer lag
     * ({@code records-lag}) among them.
     */
    @Singleton
    MeterFilter oneTagSetPerKafkaMeter() {
        return MeterFilter.deny(id -> {
            if (!id.getName().startsWith("kafka.")) {
                return false;
            }
            boolean perPartition = id.getTag("partition") != null;
            boolean clientLevelName = id.getName().endsWith("records-lag-max") || id.getName().endsWith("records-lead-min");
            return id.getTag("node-id") != null
                    || (id.getTag("topic") != null && !perPartition)
                    || (perPartition && clientLevelName);
        });
    }
}
