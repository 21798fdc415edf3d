package com.flashsale.coupon.infra;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a durable embedded PostgreSQL 16 in the foreground for a local service, with the role and
 * database the service expects by default. Stops on Ctrl-C.
 *
 * <pre>java -cp ... com.flashsale.coupon.infra.LocalPostgres [port] [data-directory]</pre>
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5432;
        Path data = Path.of(args.length > 1 ? args[1] : ".local/postgres").toAbsolutePath();
        String database = env("DB_NAME", "coupons");
        String user = env("DB_USER", "coupons");
        String password = env("DB_PASSWORD", "coupons");
        DataDirectoryLock.acquire(data, "PostgreSQL", "bin/local-postgres <port> <data-directory>")
                .or(() -> PortCheck.problem(port, "PostgreSQL", "bin/local-postgres <port>")).ifPresent(problem -> {
                    System.err.println("local-postgres: " + problem);
                    System.exit(1);
                });

        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(
                Optional.of(data), port, EmbeddedPostgresServer.Durability.DURABLE, true);
        postgres.ensureDatabase(database, user, password);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            postgres.stop();
            stopped.countDown();
        }, "postgres-stop"));
        System.out.printf("PostgreSQL 16 on localhost:%d, database %s, user %s, data in %s"
                        + " (fsync=%s, synchronous_commit=%s). Ctrl-C stops it.%n",
                postgres.port(), database, user, data, postgres.setting("fsync"),
                postgres.setting("synchronous_commit"));
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
