package com.flashsale.coupon.bootstrap;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** How meters are shaped before they reach {@code /prometheus}. */
@Factory
final class MetricsFactory {

    /**
     * Drops the Kafka clients' per-broker-connection meters. They share names with the per-client
     * meters but carry a {@code node-id} tag, which Prometheus refuses (one set of tag keys per
     * name), so they were never exported, only warned about; the per-client and per-partition
     * meters, consumer lag among them, stay.
     */
    @Singleton
    MeterFilter withoutKafkaPerNodeMeters() {
        return MeterFilter.deny(id -> id.getName().startsWith("kafka.") && id.getTag("node-id") != null);
    }
}
