package com.flashsale.coupon.local;

import com.flashsale.coupon.infra.DataDirectoryLock;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import com.flashsale.coupon.infra.PortCheck;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The whole service on a machine with only a JDK: a durable embedded PostgreSQL 16, a real KRaft
 * Kafka broker in a child JVM (skipped when {@code EVENT_DRIVEN_ENABLED=false}), and the service.
 * With {@code --instances N}, N service instances, each in a JVM of its own ({@link Instances}).
 * Ctrl-C (SIGINT or SIGTERM) stops the service first, then Kafka, then PostgreSQL. If this process
 * is killed outright, the broker and PostgreSQL notice their pipe to it close and stop themselves.
 *
 * <p>Environment: {@code EVENT_DRIVEN_ENABLED} (true), {@code PORT} (8080), {@code LOCAL_DATA_DIR}
 * (.local), {@code LOCAL_POSTGRES_PORT} (5432), {@code LOCAL_KAFKA_PORT} (9092), and
 * {@code LOCAL_POSTGRES_SETTINGS}: extra PostgreSQL settings as {@code name=value;name=value}
 * (the benchmark's {@code --stale-statistics} loads pg_stat_statements and auto_explain with it).
 */
public final class LocalStack {

    private LocalStack() {
    }

    /** {@code name=value;name=value}, as LOCAL_POSTGRES_SETTINGS gives them. */
    static Map<String, String> settings(String text) {
        Map<String, String> settings = new HashMap<>();
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("LOCAL_POSTGRES_SETTINGS wants name=value;name=value, got: " + pair);
            }
            settings.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return settings;
    }

    /**
     * The group session of the services on our own broker, which allows it: a killed instance's
     * partitions move to the others about 3 s after its last heartbeat, and the others hear of the
     * new assignment at their next heartbeat, half a second later at most (README, Several
     * instances: measured against Kafka's defaults and static membership).
     */
    static final Map<String, String> FAST_FAILOVER = Map.of(
            "KAFKA_SESSION_TIMEOUT_MS", "3000", "KAFKA_HEARTBEAT_INTERVAL_MS", "500");

    /** The most instances {@code --instances} starts: each is a JVM of a few hundred MB. */
    static final int MAX_INSTANCES = 9;

    /** {@code --instances N} from the command line; 1 without it. */
    static int instances(String[] args) {
        if (args.length == 0) {
            return 1;
        }
        if (args.length != 2 || !args[0].equals("--instances") || !args[1].matches("[1-9]")) {
            throw new IllegalArgumentException("the only option is --instances N, N from 1 to " + MAX_INSTANCES);
        }
        return Integer.parseInt(args[1]);
    }

    public static void main(String[] args) throws InterruptedException {
        int instances;
        try {
            instances = instances(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean eventDriven = Boolean.parseBoolean(env("EVENT_DRIVEN_ENABLED", "true"));
        int httpPort = Integer.parseInt(env("PORT", "8080"));
        Path data = Path.of(env("LOCAL_DATA_DIR", ".local")).toAbsolutePath();
        int postgresPort = Integer.parseInt(env("LOCAL_POSTGRES_PORT", "5432"));
        int kafkaPort = Integer.parseInt(env("LOCAL_KAFKA_PORT", "9092"));

        // one launcher per data directory; a second one on it learns that, and nothing else
        Optional<String> dataInUse = DataDirectoryLock.acquire(data.resolve("postgres"), "PostgreSQL",
                "LOCAL_DATA_DIR=<dir> bin/run-local");
        if (dataInUse.isEmpty() && eventDriven) {
            dataInUse = DataDirectoryLock.acquire(data.resolve("kafka"), "Kafka", "LOCAL_DATA_DIR=<dir> bin/run-local");
        }
        if (dataInUse.isPresent()) {
            System.err.println("local-stack: " + dataInUse.get());
            System.exit(1);
        }
        // nothing starts unless every port is ours: a server already there would be used as if it were
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            PortCheck.problem(httpPort + i, instances == 1 ? "the service" : "service instance " + (i + 1),
                    "PORT=<port> bin/run-local").ifPresent(taken::add);
        }
        PortCheck.problem(postgresPort, "PostgreSQL", "LOCAL_POSTGRES_PORT=<port> bin/run-local").ifPresent(taken::add);
        if (eventDriven) {
            PortCheck.problem(kafkaPort, "Kafka", "LOCAL_KAFKA_PORT=<port> bin/run-local").ifPresent(taken::add);
        }
        if (!taken.isEmpty()) {
            taken.forEach(problem -> System.err.println("local-stack: " + problem));
            System.exit(1);
        }

        System.out.println("local-stack: starting PostgreSQL 16 (durable) on port " + postgresPort + " ...");
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(Optional.of(data.resolve("postgres")),
                postgresPort, EmbeddedPostgresServer.Durability.DURABLE, true, settings(env("LOCAL_POSTGRES_SETTINGS", "")));
        postgres.ensureDatabase("coupons", "coupons", "coupons");
        KafkaBrokerProcess broker = null;
        if (eventDriven) {
            System.out.println("local-stack: starting Kafka (KRaft) on port " + kafkaPort + " ...");
            broker = KafkaBrokerProcess.start(Optional.of(data.resolve("kafka")), kafkaPort, Map.of(), true);
        }

        if (instances > 1) {
            Instances.run(instances, httpPort, eventDriven, postgres, broker, data);
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", httpPort);
        properties.put("datasources.default.url", postgres.jdbcUrl("coupons"));
        properties.put("datasources.default.username", "coupons");
        properties.put("datasources.default.password", "coupons");
        properties.put("coupons.event-driven", eventDriven);
        if (broker != null) {
            properties.put("kafka.bootstrap.servers", broker.bootstrapServers());
            properties.put("kafka.consumers.default.session.timeout.ms", FAST_FAILOVER.get("KAFKA_SESSION_TIMEOUT_MS"));
            properties.put("kafka.consumers.default.heartbeat.interval.ms",
                    FAST_FAILOVER.get("KAFKA_HEARTBEAT_INTERVAL_MS"));
        }
        ApplicationContext service;
        try {
            service = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
        } catch (RuntimeException e) {
            System.err.println("local-stack: the service did not start: " + e.getMessage());
            stop(null, broker, postgres);
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        KafkaBrokerProcess kafka = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(service, kafka, postgres);
            stopped.countDown();
        }, "local-stack-stop"));
        awaitHealthy(httpPort);

        printReady(List.of("  service     http://localhost:" + httpPort + "  ("
                        + (eventDriven ? "event-driven, through Kafka" : "synchronous, no Kafka") + ")",
                "  health      http://localhost:" + httpPort + "/health"), postgres, kafka, data);
        stopped.await();
    }

    /**
     * The banner, written in one piece: whoever waits for "ready" in the output (a script, a test)
     * finds every line of it there too. The lines that name PostgreSQL and Kafka are the same for one
     * instance or several.
     */
    static void printReady(List<String> services, EmbeddedPostgresServer postgres, KafkaBrokerProcess kafka,
            Path data) {
        StringBuilder banner = new StringBuilder(System.lineSeparator()).append("local-stack: ready");
        List<String> lines = new ArrayList<>(services);
        lines.add("  PostgreSQL  localhost:" + postgres.port() + "  database coupons, user coupons, password coupons"
                + "  (fsync=" + postgres.setting("fsync") + ", synchronous_commit=" + postgres.setting("synchronous_commit")
                + "), data in " + postgres.dataDirectory());
        if (kafka != null) {
            lines.add("  Kafka       " + kafka.bootstrapServers() + "  data and broker.log in " + data.resolve("kafka"));
        }
        lines.add("  Ctrl-C stops everything; the data stays for the next run.");
        lines.forEach(line -> banner.append(System.lineSeparator()).append(line));
        System.out.println(banner);
    }

    static void stop(ApplicationContext service, KafkaBrokerProcess broker, EmbeddedPostgresServer postgres) {
        System.out.println("local-stack: stopping");
        if (service != null && service.isRunning()) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
        postgres.stop();
        System.out.println("local-stack: stopped");
    }

    /** Waits until {@code /health} is UP: in event-driven mode, until the worker has its partitions. */
    static void awaitHealthy(int port) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < giveUp) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still binding
            }
            Thread.sleep(200);
        }
        System.out.println("local-stack: /health is still not UP after 90 s; see the log above");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
