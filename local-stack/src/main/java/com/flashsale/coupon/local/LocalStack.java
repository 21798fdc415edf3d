package com.flashsale.coupon.local;

import com.flashsale.coupon.bootstrap.Setting;
import com.flashsale.coupon.bootstrap.Settings;
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
import java.util.EnumSet;
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

    /** What the launcher starts, once every check passed. */
    record Plan(int instances, boolean eventDriven, int httpPort, Path data, int postgresPort, int kafkaPort,
                Map<String, String> postgresSettings) {
    }

    /** Why nothing may start, one sentence each, and the exit code that says so (2: a usage error, 1: any other). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> sentences;
        private final int exitCode;

        Refused(List<String> sentences, int exitCode) {
            super(String.join(" ", sentences));
            this.sentences = List.copyOf(sentences);
            this.exitCode = exitCode;
        }

        void exit() {
            sentences.forEach(sentence -> System.err.println("local-stack: " + sentence));
            System.exit(exitCode);
        }
    }

    /**
     * Checks, in this order and before anything starts or is built: the arguments, every variable
     * against the registry ({@link Setting}), the data directories (one launcher each, whose lock
     * this process then holds), and every port.
     */
    static Plan plan(String[] args, Map<String, String> environment) throws Refused {
        int instances;
        try {
            instances = instances(args);
        } catch (IllegalArgumentException e) {
            throw new Refused(List.of(e.getMessage()), 2);
        }
        Settings settings = Settings.of(environment);
        List<String> problems = settings.problems(EnumSet.allOf(Setting.Reader.class));
        if (!problems.isEmpty()) {
            throw new Refused(problems, 1); // not a usage error: the script adds no usage to these
        }
        boolean eventDriven = settings.eventDriven();
        int httpPort = settings.port(Setting.PORT);
        if (httpPort + instances - 1 > 65_535) {
            throw new Refused(List.of("PORT " + httpPort + " leaves no room for " + instances
                    + " consecutive ports; choose a lower one."), 1);
        }
        Path data = Path.of(settings.value(Setting.LOCAL_DATA_DIR)).toAbsolutePath();
        int postgresPort = settings.port(Setting.LOCAL_POSTGRES_PORT);
        int kafkaPort = settings.port(Setting.LOCAL_KAFKA_PORT);

        // one launcher per data directory; a second one on it learns that, and nothing else
        Optional<String> dataInUse = DataDirectoryLock.acquire(data.resolve("postgres"), "PostgreSQL",
                "LOCAL_DATA_DIR=<dir> bin/run-local");
        if (dataInUse.isEmpty() && eventDriven) {
            dataInUse = DataDirectoryLock.acquire(data.resolve("kafka"), "Kafka", "LOCAL_DATA_DIR=<dir> bin/run-local");
        }
        if (dataInUse.isPresent()) {
            throw new Refused(List.of(dataInUse.get()), 1);
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
            throw new Refused(taken, 1);
        }
        return new Plan(instances, eventDriven, httpPort, data, postgresPort, kafkaPort,
                settings(settings.value(Setting.LOCAL_POSTGRES_SETTINGS)));
    }

    public static void main(String[] args) throws InterruptedException {
        Plan plan;
        try {
            plan = plan(args, System.getenv());
        } catch (Refused refused) {
            refused.exit();
            return;
        }
        int instances = plan.instances();
        boolean eventDriven = plan.eventDriven();
        int httpPort = plan.httpPort();
        Path data = plan.data();
        int postgresPort = plan.postgresPort();
        int kafkaPort = plan.kafkaPort();

        System.out.println("local-stack: starting PostgreSQL 16 (durable) on port " + postgresPort + " ...");
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(Optional.of(data.resolve("postgres")),
                postgresPort, EmbeddedPostgresServer.Durability.DURABLE, true, plan.postgresSettings());
        postgres.ensureDatabase("coupons", "coupons", "coupons");
        KafkaBrokerProcess broker = null;
        if (eventDriven) {
            System.out.println("local-stack: starting Kafka (KRaft) on port " + kafkaPort + " ...");
            broker = KafkaBrokerProcess.start(Optional.of(data.resolve("kafka")), kafkaPort, Map.of(), true,
                    KafkaBrokerProcess.Jvm.LONG_RUNNING);
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
}
