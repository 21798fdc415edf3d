package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event-driven services on a real broker. Each test class starts its own broker: a worker group
 * new to a broker reads the request topics from their beginning, and must not meet the requests
 * of another class's services.
 */
final class TestKafka {

    private static final AtomicInteger SERVICES = new AtomicInteger();

    private TestKafka() {
    }

    /** Properties for an event-driven service on {@code broker}. */
    static Map<String, Object> eventDriven(KafkaBrokerProcess broker) {
        return eventDriven(broker.bootstrapServers());
    }

    /** Properties for an event-driven service on the broker at {@code bootstrapServers}. */
    static Map<String, Object> eventDriven(String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("coupons.event-driven", true);
        properties.put("kafka.bootstrap.servers", bootstrapServers);
        properties.put("coupons.kafka.instance-id", "test-" + SERVICES.incrementAndGet());
        properties.put("coupons.kafka.partitions", 3);
        return properties;
    }
}
