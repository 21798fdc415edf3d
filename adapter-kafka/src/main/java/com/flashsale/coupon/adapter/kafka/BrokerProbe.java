package com.flashsale.coupon.adapter.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Asks the cluster every second whether it answers, in the background, so that a health check
 * reads the latest answer instead of waiting on the network.
 */
public final class BrokerProbe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final ScheduledExecutorService prober;
    private volatile String problem = "not probed yet";
    private volatile int brokers;

    private BrokerProbe(KafkaSettings settings) {
        var config = KafkaClients.admin(settings, "coupon-health-" + settings.instanceId());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(config);
        this.prober = Executors.newSingleThreadScheduledExecutor(KafkaFlashSale.daemon("kafka-broker-probe"));
    }

    /** Probes once now, then every second. */
    public static BrokerProbe start(KafkaSettings settings) {
        BrokerProbe probe = new BrokerProbe(settings);
        probe.probe();
        probe.prober.scheduleWithFixedDelay(probe::probe, 1, 1, TimeUnit.SECONDS);
        return probe;
    }

    private void probe() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            brokers = nodes;
            problem = nodes == 0 ? "the cluster reports no broker" : null;
        } catch (Exception e) {
            brokers = 0;
            problem = "broker unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Why the cluster is not usable, as of the last probe; empty when it answered. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public int brokers() {
        return brokers;
    }

    @Override
    public void close() {
        prober.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
