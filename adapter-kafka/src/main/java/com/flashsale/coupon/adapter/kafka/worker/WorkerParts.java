package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportObserver;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.kafka.clients.producer.Producer;

/**
 * The worker's collaborators as beans, so that Micronaut wires them and {@link RequestBatches}
 * only receives them. The classes stay plain, with constructors of their own, so that a unit test
 * builds them on a mock producer and a fixed clock.
 */
@Factory
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
@Requires(property = KafkaSettings.WORKER_ENABLED, notEquals = "false")
final class WorkerParts {

    private final Clock clock = Clock.systemUTC();

    @Singleton
    RetryPolicy retryPolicy(KafkaSettings settings) {
        return new RetryPolicy(settings.retryBackoffs(), clock);
    }

    @Singleton
    RequestHandler requestHandler(@Named(RequestBatches.USE_CASES) FlashSale useCases, RetryPolicy retryPolicy) {
        return new RequestHandler(useCases, retryPolicy, clock);
    }

    @Singleton
    DispositionPublisher dispositionPublisher(@KafkaClient(RequestBatches.PRODUCER) Producer<String, byte[]> producer,
                                              RetryPolicy retryPolicy, @Nullable TransportObserver observer) {
        return new DispositionPublisher(producer, retryPolicy, clock,
                observer == null ? TransportObserver.NONE : observer);
    }

    @Singleton
    SoldOutAnnouncer soldOutAnnouncer(@Named(RequestBatches.USE_CASES) FlashSale useCases,
                                      @KafkaClient(RequestBatches.PRODUCER) Producer<String, byte[]> producer) {
        return new SoldOutAnnouncer(useCases, producer);
    }
}
