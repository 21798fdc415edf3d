package com.flashsale.coupon.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Instances started together on a new database (three replicas of a fresh deployment) all come up:
 * they take turns at the schema migration ({@link MigrationLock}). Without the lock, Liquibase's
 * first step, creating its own tables, raced, and all but one failed with {@code relation
 * "databasechangelog" already exists}.
 */
class ConcurrentStartTest {

    private static final int INSTANCES = 4;

    @RepeatedTest(2)
    @DisplayName("instances started at once on an empty database all migrate it and start")
    void instancesStartedAtOnceOnAnEmptyDatabase_allStart() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startForTests()) {
            String database = "coupons_concurrent_" + System.nanoTime();
            postgres.createDatabase(database);
            ExecutorService starters = Executors.newFixedThreadPool(INSTANCES);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<ApplicationContext>> started = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                started.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return StoreContext.start(postgres, database, 2);
                }, starters));
            }
            go.countDown();
            List<ApplicationContext> contexts = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (CompletableFuture<ApplicationContext> context : started) {
                try {
                    contexts.add(context.get(120, TimeUnit.SECONDS));
                } catch (Exception e) {
                    failures.add(e);
                }
            }
            try {
                assertThat(failures).as("instances that failed to start").isEmpty();
                for (ApplicationContext context : contexts) {
                    // the schema is there for each of them
                    assertThat(context.getBean(PostgresCoupons.class).find(new CouponName("NOBODY"))).isEmpty();
                }
            } finally {
                contexts.forEach(ApplicationContext::close);
                starters.shutdownNow();
            }
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
