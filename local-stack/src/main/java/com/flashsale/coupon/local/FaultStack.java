package com.flashsale.coupon.local;

import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import com.flashsale.coupon.infra.FreePorts;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fault suite's servers, all real and all ours to kill: a durable PostgreSQL (a crash must lose
 * no commit), a KRaft broker, three event-driven instances and one synchronous instance, each
 * instance in a JVM of its own, sharing the store.
 */
final class FaultStack implements AutoCloseable {

    static final int EVENT_DRIVEN_INSTANCES = 3;
    /**
     * The instances answer a few hundred claims a second here, not a flash sale's thousands: the
     * quick JIT alone, which halves the CPU four JVMs need to start on two cores.
     */
    private static final List<String> INSTANCE_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xmx384m");
    /**
     * For comparing failover settings (README, Several instances): {@code -Dfault.session-ms} and
     * {@code -Dfault.heartbeat-ms} replace the launcher's group session, and
     * {@code -Dfault.static-membership=true} gives the workers a {@code group.instance.id}.
     */
    private static final Map<String, String> GROUP_SESSION = groupSession();
    private static final boolean STATIC_MEMBERSHIP = Boolean.getBoolean("fault.static-membership");

    private static Map<String, String> groupSession() {
        Map<String, String> session = new java.util.HashMap<>(LocalStack.FAST_FAILOVER);
        String timeout = System.getProperty("fault.session-ms");
        String heartbeat = System.getProperty("fault.heartbeat-ms");
        if (timeout != null) {
            session.put("KAFKA_SESSION_TIMEOUT_MS", timeout);
        }
        if (heartbeat != null) {
            session.put("KAFKA_HEARTBEAT_INTERVAL_MS", heartbeat);
        }
        return session;
    }

    final EmbeddedPostgresServer postgres;
    final KafkaBrokerProcess broker;
    final List<ServiceProcess> eventDriven;
    final ServiceProcess sync;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private FaultStack(EmbeddedPostgresServer postgres, KafkaBrokerProcess broker, List<ServiceProcess> eventDriven,
                       ServiceProcess sync) {
        this.postgres = postgres;
        this.broker = broker;
        this.eventDriven = eventDriven;
        this.sync = sync;
    }

    static FaultStack start(Path data) throws InterruptedException {
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(Optional.of(data.resolve("postgres")),
                freePort(), EmbeddedPostgresServer.Durability.DURABLE, false);
        postgres.ensureDatabase("coupons", "coupons", "coupons");
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(Optional.of(data.resolve("kafka")), freePort(), Map.of(),
                false);
        // all at once: they take turns at the schema migration (MigrationLock)
        ServiceProcess sync = ServiceProcess.start(Instances.environment("fault-sync", freePort(), false, postgres,
                null), INSTANCE_JVM, data.resolve("instance-sync.log"));
        FaultStack stack = new FaultStack(postgres, broker, new ArrayList<>(), sync);
        for (int i = 1; i <= EVENT_DRIVEN_INSTANCES; i++) {
            Map<String, String> environment = new java.util.HashMap<>(
                    Instances.environment("fault-" + i, freePort(), true, postgres, broker));
            environment.putAll(GROUP_SESSION);
            List<String> jvm = new ArrayList<>(INSTANCE_JVM);
            if (STATIC_MEMBERSHIP) {
                jvm.add("-Dkafka.consumers.coupon-workers.group.instance.id=fault-" + i + "-worker");
                jvm.add("-Dkafka.consumers.coupon-workers-retry.group.instance.id=fault-" + i + "-retry");
            }
            stack.eventDriven.add(ServiceProcess.start(environment, jvm, data.resolve("instance-" + i + ".log")));
        }
        for (ServiceProcess instance : stack.all()) {
            if (!stack.awaitHealthy(instance, Duration.ofSeconds(180))) {
                stack.close();
                throw new IllegalStateException("instance " + instance.instanceId() + " was not healthy in 180 s; see "
                        + instance.log());
            }
        }
        return stack;
    }

    List<ServiceProcess> all() {
        List<ServiceProcess> all = new ArrayList<>(eventDriven);
        all.add(sync);
        return all;
    }

    List<ServiceProcess> alive(List<ServiceProcess> instances) {
        return instances.stream().filter(ServiceProcess::isAlive).toList();
    }

    /** True once {@code instance} answers {@code /health} with 200, within {@code within}. */
    boolean awaitHealthy(ServiceProcess instance, Duration within) throws InterruptedException {
        long giveUp = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < giveUp) {
            if (healthy(instance.uri())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    boolean healthy(URI instance) {
        try {
            return http.send(HttpRequest.newBuilder(instance.resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Creates a coupon through {@code instance}, sending it again after a 5xx until it exists. */
    void createCoupon(URI instance, String name, int amount) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                int status = http.send(HttpRequest.newBuilder(instance.resolve("/api/coupons"))
                                .header("Content-Type", "application/json").header("Idempotency-Key", "create-" + name)
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"amount\":" + amount + "}"))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 201) {
                    return;
                }
            } catch (IOException e) {
                // not up yet: again
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("could not create coupon " + name + " through " + instance);
    }

    /** One claim of a fresh user through {@code instance}, sent once: true when it was granted. */
    boolean claimOnce(URI instance, String coupon, String user) {
        try {
            return http.send(HttpRequest.newBuilder(instance.resolve("/api/coupons/claim"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\",\"coupon_name\":\""
                            + coupon + "\"}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl("coupons"), "coupons", "coupons");
    }

    @Override
    public void close() {
        for (ServiceProcess instance : all()) {
            instance.terminate();
        }
        for (ServiceProcess instance : all()) {
            instance.awaitStopped(30);
        }
        broker.close();
        postgres.close();
    }

    static int freePort() {
        return FreePorts.one();
    }
}
