package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.BrokerProbe;
import com.flashsale.coupon.adapter.kafka.KafkaFlashSale;
import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.RequestWorker;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Kafka's part of {@code /health}: DOWN while the broker cannot be reached, the reply partitions
 * are not assigned, or the worker's consumers are not running. Reads only in-memory state.
 */
@Singleton
@Requires(property = "coupons.event-driven", value = "true")
final class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaFlashSale gateway;
    private final RequestWorker worker;
    private final BrokerProbe probe;

    KafkaHealthIndicator(KafkaFlashSale gateway, @Nullable RequestWorker worker, KafkaSettings settings) {
        this.gateway = gateway;
        this.worker = worker;
        this.probe = BrokerProbe.start(settings);
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reply_topic", gateway.replyTopic());
        details.put("reply_partitions_assigned", gateway.isReady());
        details.put("brokers", probe.brokers());
        details.put("worker_consuming", worker == null ? "disabled" : worker.isConsuming());
        details.put("requests_in_flight", gateway.inFlight());
        String problem = probe.problem().orElse(null);
        if (problem == null && !gateway.isReady()) {
            problem = "reply partitions are not assigned";
        }
        if (problem == null && worker != null && !worker.isConsuming()) {
            problem = "the worker's consumers are not running";
        }
        if (problem != null) {
            details.put("problem", problem);
        }
        return Publishers.just(HealthResult.builder("kafka", problem == null ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }

    @PreDestroy
    void close() {
        probe.close();
    }
}
