package com.flashsale.coupon.local;

import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/run-local --instances N}: N service instances on one PostgreSQL and one broker, each
 * in a JVM of its own ({@link ServiceInstance}) so that one can be killed alone, on consecutive
 * ports from {@code PORT}, with the stable {@code INSTANCE_ID}s {@code local-1} ... {@code local-N}.
 * An instance started again under its id finds its reply topic where it left it. Each writes its
 * log to {@code instance-<i>.log} in the data directory. They stop together, before the broker
 * and PostgreSQL; a killed launcher's instances see their pipe close and stop themselves.
 */
final class Instances {

    private static final long STOP_WAIT_SECONDS = 30;

    private Instances() {
    }

    /** The environment of instance {@code i} (from 1): the servers it uses, its port and its id. */
    static Map<String, String> environment(int i, int firstPort, boolean eventDriven, EmbeddedPostgresServer postgres,
                                           KafkaBrokerProcess broker) {
        return environment("local-" + i, firstPort + i - 1, eventDriven, postgres, broker);
    }

    /** The environment of one instance: the servers it uses, its port and its {@code INSTANCE_ID}. */
    static Map<String, String> environment(String instanceId, int port, boolean eventDriven,
                                           EmbeddedPostgresServer postgres, KafkaBrokerProcess broker) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PORT", Integer.toString(port),
                "INSTANCE_ID", instanceId,
                "EVENT_DRIVEN_ENABLED", Boolean.toString(eventDriven),
                "DB_HOST", "localhost",
                "DB_PORT", Integer.toString(postgres.port()),
                "DB_NAME", "coupons",
                "DB_USER", "coupons",
                "DB_PASSWORD", "coupons"));
        if (broker != null) {
            env.put("KAFKA_BROKERS", broker.bootstrapServers());
            env.putAll(LocalStack.FAST_FAILOVER);
        }
        return env;
    }

    static void run(int count, int firstPort, boolean eventDriven, EmbeddedPostgresServer postgres,
                    KafkaBrokerProcess broker, Path data) throws InterruptedException {
        List<ServiceProcess> instances = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            stopAll(instances);
            LocalStack.stop(null, broker, postgres);
            stopped.countDown();
        }, "local-stack-stop"));
        for (int i = 1; i <= count; i++) {
            System.out.println("local-stack: starting service instance " + i + " on port " + (firstPort + i - 1) + " ...");
            try {
                ServiceProcess instance = ServiceProcess.start(environment(i, firstPort, eventDriven, postgres, broker),
                        jvmOptions(), log(data, i));
                synchronized (instances) {
                    instances.add(instance);
                }
                // an instance that dies while the others run is said at once, in one line
                instance.onEnd(sentence -> {
                    if (!stopping.get()) {
                        System.err.println("local-stack: " + sentence);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                System.err.println("local-stack: could not start service instance " + i + ": " + e.getMessage());
                System.exit(1);
            }
        }
        for (int i = 1; i <= count; i++) {
            LocalStack.awaitHealthy(firstPort + i - 1);
        }

        LocalStack.printReady(instances.stream()
                .map(instance -> "  instance " + instance.instanceId().substring("local-".length()) + "  " + instance.uri()
                        + "  INSTANCE_ID " + instance.instanceId() + ", pid " + instance.pid() + ", log " + instance.log()
                        + "  (" + (eventDriven ? "event-driven, through Kafka" : "synchronous, no Kafka") + ")")
                .toList(), postgres, broker, data);
        stopped.await();
    }

    /** {@code INSTANCE_JAVA_OPTS}, split at blanks: options of every instance's JVM. */
    static List<String> jvmOptions() {
        String options = System.getenv().getOrDefault("INSTANCE_JAVA_OPTS", "").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    private static Path log(Path data, int i) {
        return data.resolve("instance-" + i + ".log");
    }

    /** SIGTERM to every instance at once (each shuts down gracefully), then waits for them all. */
    private static void stopAll(List<ServiceProcess> instances) {
        List<ServiceProcess> all;
        synchronized (instances) {
            all = List.copyOf(instances);
        }
        all.forEach(ServiceProcess::terminate);
        all.forEach(instance -> instance.awaitStopped(STOP_WAIT_SECONDS));
    }
}
