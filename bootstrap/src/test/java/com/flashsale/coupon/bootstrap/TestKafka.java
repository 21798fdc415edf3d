package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One real Kafka broker (a child JVM) for the whole test JVM; each service gets its own group and id. */
final class TestKafka {

    private static final AtomicInteger SERVICES = new AtomicInteger();
    private static KafkaBrokerProcess broker;

    private TestKafka() {
    }

    static synchronized KafkaBrokerProcess broker() {
        if (broker == null) {
            broker = KafkaBrokerProcess.startForTests();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
        }
        return broker;
    }

    /**
     * Properties for an event-driven service on the shared broker. Services that should not share
     * work get their own worker group; the request topics are shared, as in production.
     */
    static Map<String, Object> eventDriven(String workerGroup) {
        int n = SERVICES.incrementAndGet();
        Map<String, Object> properties = new HashMap<>();
        properties.put("coupons.event-driven", true);
        properties.put("coupons.kafka.bootstrap-servers", broker().bootstrapServers());
        properties.put("coupons.kafka.instance-id", "test-" + n);
        properties.put("coupons.kafka.worker-group", workerGroup);
        properties.put("coupons.kafka.partitions", 3);
        return properties;
    }
}
