package com.flashsale.coupon.adapter.postgres;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes instances that start at once on a new database take turns at the schema migration: a
 * PostgreSQL advisory lock is held from just before micronaut-liquibase's migration to just after
 * it. Liquibase's own lock table does not cover its first step, the creation of its tables, so
 * three instances started together on an empty database had two fail with {@code relation
 * "databasechangelog" already exists} (measured with {@code bin/run-local --instances 3}).
 *
 * <p>micronaut-liquibase migrates in a {@link BeanCreatedEventListener} of the data source, with
 * the default order; {@link Acquire} runs before it and {@link Release} after it, on one
 * connection that is closed (and so unlocked) when the migration is over, or when it failed and
 * the process exits. {@link Acquire} waits for the pool's first connections, and leaves one idle
 * for the migration ({@link Acquire#connect}): the pool itself waits only 250 ms.
 */
@Singleton
final class MigrationLock {

    /** Any number that no other user of this database takes as an advisory lock. */
    static final long KEY = 0x636F75706F6E73L; // "coupons"

    private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);
    /** The connection that holds the lock, from {@link Acquire} to {@link Release}. */
    private final AtomicReference<Connection> held = new AtomicReference<>();

    /** Takes the lock before the migration, waiting for an instance that migrates now. */
    @Singleton
    static final class Acquire implements BeanCreatedEventListener<DataSource>, Ordered {
        private final MigrationLock lock;
        private final DataSourceResolver resolver;

        Acquire(MigrationLock lock, @Nullable DataSourceResolver resolver) {
            this.lock = lock;
            this.resolver = resolver == null ? DataSourceResolver.DEFAULT : resolver;
        }

        @Override
        public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
            DataSource dataSource = event.getBean();
            if (lock.held.get() != null) {
                return dataSource;
            }
            try {
                DataSource pool = resolver.resolve(dataSource);
                Connection connection = connect(pool);
                // the migration needs a connection of the pool besides this one: one made now waits
                // idle for it, instead of being made inside the pool's short wait (see connect)
                connect(pool).close();
                try (Statement statement = connection.createStatement()) {
                    long started = System.nanoTime();
                    statement.execute("SELECT pg_advisory_lock(" + KEY + ")");
                    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
                    if (waitedMillis > 100) {
                        LOG.info("waited {} ms for another instance to finish the schema migration", waitedMillis);
                    }
                }
                lock.held.set(connection);
            } catch (SQLException e) {
                // no lock, no harm: the migration then runs as it would alone, and reports its own failure
                LOG.warn("could not take the schema migration lock: {}", e.getMessage());
            }
            return dataSource;
        }

        @Override
        public int getOrder() {
            return HIGHEST_PRECEDENCE;
        }

        /**
         * A connection of the pool, asked for again while the pool is still making its first ones:
         * the pool waits only {@code connection-timeout} (250 ms, so that a dead database is noticed
         * inside a request's deadline), and on a loaded machine making a connection can take longer.
         * A start-up whose migration timed out so failed outright (seen in a loaded test run:
         * "Connection is not available, request timed out after 258ms (total=1, active=1)").
         */
        static Connection connect(DataSource pool) throws SQLException {
            long giveUp = System.nanoTime() + STARTUP_WAIT_NANOS;
            while (true) {
                try {
                    return pool.getConnection();
                } catch (java.sql.SQLTransientConnectionException slow) {
                    if (System.nanoTime() > giveUp) {
                        throw slow;
                    }
                }
            }
        }
    }

    /** How long start-up waits for the pool's first connections before it gives up. */
    private static final long STARTUP_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /** Gives the lock back once the migration is over. */
    @Singleton
    static final class Release implements BeanCreatedEventListener<DataSource>, Ordered {
        private final MigrationLock lock;

        Release(MigrationLock lock) {
            this.lock = lock;
        }

        @Override
        public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
            Connection connection = lock.held.getAndSet(null);
            if (connection != null) {
                try (connection; Statement unlock = connection.createStatement()) {
                    unlock.execute("SELECT pg_advisory_unlock(" + KEY + ")");
                } catch (SQLException e) {
                    LOG.warn("could not release the schema migration lock; it ends with its connection: {}",
                            e.getMessage());
                }
            }
            return event.getBean();
        }

        @Override
        public int getOrder() {
            return LOWEST_PRECEDENCE;
        }
    }
}
