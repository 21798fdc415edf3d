package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.application.FlashSaleUseCases;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.out.Coupons;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes the framework-free core into beans: the core itself carries no annotation. */
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
        return Executors.newFixedThreadPool(configuration.storeThreads(), threads);
    }

    /** Typed as itself only: which {@link FlashSale} the HTTP adapter gets depends on the transport. */
    @Singleton
    @Bean(typed = FlashSaleUseCases.class)
    FlashSaleUseCases useCases(Coupons coupons, @Named("store") ExecutorService storeExecutor,
                               CouponsConfiguration configuration) {
        return new FlashSaleUseCases(coupons, storeExecutor, configuration.claimBatchMax());
    }

    /** Synchronous mode: the HTTP adapter calls the use cases in-process. */
    @Singleton
    @Requires(property = "coupons.event-driven", value = "false")
    FlashSale inProcess(FlashSaleUseCases useCases) {
        return useCases;
    }
}
