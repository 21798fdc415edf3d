package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.gateway.KafkaFlashSale;
import com.flashsale.coupon.adapter.kafka.worker.RequestBatches;
import com.flashsale.coupon.application.ClaimBatchObserver;
import com.flashsale.coupon.application.DeadlineFlashSale;
import com.flashsale.coupon.application.FlashSaleUseCases;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.out.Coupons;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes the framework-free core into beans (the core itself carries no annotation), and picks the transport. */
@Factory
final class CoreFactory {

    /** Runs blocking store calls; as many threads as database connections, so none waits idle. */
    @Singleton
    @Named("store")
    @Bean(preDestroy = "shutdown")
    ExecutorService storeExecutor(CouponsConfiguration configuration) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "coupon-store-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // bounded: past it a call is refused at once (503 overloaded) rather than queued past its deadline
        return new ThreadPoolExecutor(configuration.storeThreads(), configuration.storeThreads(), 0L,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(configuration.storeQueue()), threads);
    }

    /**
     * Also the {@link FlashSale} the Kafka worker serves requests with, by name: which port the
     * HTTP adapter gets depends on the transport.
     */
    @Singleton
    @Named(RequestBatches.USE_CASES)
    @Bean(typed = {FlashSaleUseCases.class, FlashSale.class})
    FlashSaleUseCases useCases(Coupons coupons, @Named("store") ExecutorService storeExecutor,
                               CouponsConfiguration configuration, MeterRegistry registry) {
        DistributionSummary sizes = DistributionSummary.builder("coupon.claim.batch.size")
                .description("Claims written per store transaction (group commit)")
                .publishPercentileHistogram().register(registry);
        Timer durations = Timer.builder("coupon.claim.batch.duration")
                .description("Time of one claim batch in the store").register(registry);
        ClaimBatchObserver observer = (coupon, size, nanos) -> {
            sizes.record(size);
            durations.record(nanos, TimeUnit.NANOSECONDS);
        };
        return new FlashSaleUseCases(coupons, storeExecutor, configuration.claimBatchMax(),
                configuration.claimBatchesInFlight(), observer, configuration.maxQueuedClaims());
    }

    /**
     * The port the HTTP adapter calls: the Kafka gateway in event-driven mode, the use cases
     * in-process otherwise; metered either way.
     */
    @Singleton
    @Primary
    @Bean(typed = FlashSale.class)
    FlashSale flashSale(CouponsConfiguration configuration, BeanProvider<FlashSaleUseCases> useCases,
                        BeanProvider<KafkaFlashSale> gateway, KafkaConfiguration deadlines, MeterRegistry registry) {
        FlashSale transport;
        if (configuration.isEventDriven()) {
            if (!gateway.isPresent()) {
                throw new ConfigurationException("EVENT_DRIVEN_ENABLED=true but the Kafka transport is not configured");
            }
            transport = gateway.get();
        } else {
            // the gateway has its deadline; in-process calls get the same one here
            transport = new DeadlineFlashSale(useCases.get(), deadlines.requestTimeout());
        }
        return new MeteredFlashSale(transport, registry);
    }
}
