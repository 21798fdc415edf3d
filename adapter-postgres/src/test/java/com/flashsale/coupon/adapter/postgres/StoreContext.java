package com.flashsale.coupon.adapter.postgres;

import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

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
}
