package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.gateway.KafkaFlashSale;
import com.flashsale.coupon.adapter.kafka.gateway.SoldOutTopic;
import com.flashsale.coupon.adapter.kafka.worker.RequestListener;
import com.flashsale.coupon.adapter.kafka.worker.RetryListener;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * The transport's part of {@code /health}, beside micronaut-kafka's {@code kafka} check of the
 * broker itself: DOWN while this instance's reply partitions are not read, or its worker's
 * listeners have not been given their partitions. Reads only in-memory state.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
final class KafkaTransportHealthIndicator implements HealthIndicator {

    static final String NAME = "kafka-transport";

    private final KafkaFlashSale gateway;
    private final SoldOutTopic soldOut;
    private final RequestListener requests;
    private final RetryListener retries;

    KafkaTransportHealthIndicator(KafkaFlashSale gateway, SoldOutTopic soldOut, @Nullable RequestListener requests,
                                  @Nullable RetryListener retries) {
        this.gateway = gateway;
        this.soldOut = soldOut;
        this.requests = requests;
        this.retries = retries;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean workerEnabled = requests != null && retries != null;
        boolean workerConsuming = workerEnabled && requests.isConsuming() && retries.isConsuming();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reply_topic", gateway.replyTopic());
        details.put("reply_partitions_assigned", gateway.isReady());
        details.put("worker_consuming", workerEnabled ? workerConsuming : "disabled");
        details.put("requests_in_flight", gateway.inFlight());
        // not a reason for DOWN: without it, claims on sold-out coupons only take the longer way
        details.put("sold_out_topic_read", soldOut.isReady());
        details.put("sold_out_coupons_known", soldOut.known());
        String problem = null;
        if (!gateway.isReady()) {
            problem = "reply partitions are not assigned";
        } else if (workerEnabled && !workerConsuming) {
            problem = "the worker is not consuming: it has no partitions yet, or it stopped polling";
        }
        if (problem != null) {
            details.put("problem", problem);
        }
        return Publishers.just(HealthResult.builder(NAME, problem == null ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
