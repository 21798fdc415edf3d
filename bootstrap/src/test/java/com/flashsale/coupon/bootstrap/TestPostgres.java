package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL for the whole test JVM; each service under test gets its own database. */
final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestPostgres() {
    }

    static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            server = EmbeddedPostgresServer.startForTests();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
        }
        return server;
    }

    /** Properties that point a service at a fresh database on the shared server. */
    static Map<String, Object> freshDatabase() {
        EmbeddedPostgresServer postgres = server();
        String database = "coupons_" + DATABASES.incrementAndGet();
        postgres.createDatabase(database);
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", postgres.jdbcUrl(database));
        properties.put("datasources.default.username", EmbeddedPostgresServer.USER);
        properties.put("datasources.default.password", EmbeddedPostgresServer.PASSWORD);
        return properties;
    }
}
