package com.flashsale.coupon.adapter.postgres;

import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/** The store's Micronaut context on one database of an embedded PostgreSQL, its schema applied by Liquibase. */
final class StoreContext {

    private StoreContext() {
    }

    static ApplicationContext start(EmbeddedPostgresServer postgres, String database, int poolSize) {
        return ApplicationContext.run(Map.of(
                "datasources.default.url", postgres.jdbcUrl(database),
                "datasources.default.username", EmbeddedPostgresServer.USER,
                "datasources.default.password", EmbeddedPostgresServer.PASSWORD,
                "datasources.default.maximum-pool-size", poolSize,
                "liquibase.datasources.default.change-log", "classpath:db/coupon-changelog.sql"));
    }

    /** A connection of the test's own from the context's pool, outside Micronaut Data's transactions. */
    static Connection rawConnection(ApplicationContext context) throws SQLException {
        return DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class)).getConnection();
    }

    /** Stops the context, then the server under it; either may be null when the test's start failed. */
    static void stop(ApplicationContext context, EmbeddedPostgresServer postgres) {
        if (context != null) {
            context.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
