package com.flashsale.coupon.local;

import com.flashsale.coupon.local.RetryingClients.Answer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/fault-test}: flash sales under load while a fault strikes, on real servers
 * ({@link FaultStack}). Clients repeat their same request, with the same {@code Idempotency-Key},
 * after a 5xx or a dropped connection ({@link RetryingClients}). After each scenario it checks what
 * the service promises: no oversell; whoever was told {@code 200} holds the coupon; whoever was
 * told {@code sold_out} does not, and the stock is really gone; nobody holds it twice; every
 * request sent again with its key answers as before; and health and a fresh claim come back
 * within {@link #RECOVERY_BOUND} of the repair ({@link #FAILOVER_BOUND} of the kill, for an instance
 * gone for good). Prints a table; exits 1 if any check failed.
 *
 * <pre>bin/fault-test            the short form (./mvnw verify runs it too)
 * bin/fault-test --long     a sale 20 times larger, outages three times longer</pre>
 */
public final class FaultSuite {

    /** After a server is back, the service must be healthy and claims served within this. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);
    /** With an instance gone for good, its coupons must be served by the others within this. */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(5);
    /** A client that got no definite answer in this long gives up: the check then fails. */
    private static final Duration GIVE_UP = Duration.ofSeconds(90);
    /** Coupons for the fresh claims of the recovery probe: names spread over the request partitions. */
    private static final List<String> PROBES = List.of("PROBE_A", "PROBE_B", "PROBE_C", "PROBE_D", "PROBE_E", "PROBE_F");

    /** How big the sales are and how long each outage lasts. */
    record Size(String name, int stock, int users, int clients, Duration down) {
        static final Size SHORT = new Size("short", 150, 240, 12, Duration.ofSeconds(2));
        static final Size LONG = new Size("long", 3000, 4800, 48, Duration.ofSeconds(6));
    }

    enum Scenario {
        POSTGRES_SYNC("PostgreSQL kill -9, restart", "sync"),
        POSTGRES("PostgreSQL kill -9, restart", "event-driven"),
        BROKER("broker kill -9, restart", "event-driven"),
        INSTANCE("an instance kill -9, restart", "event-driven"),
        INSTANCE_GONE("1 of 3 instances kill -9 for good", "event-driven");

        final String fault;
        final String mode;

        Scenario(String fault, String mode) {
            this.fault = fault;
            this.mode = mode;
        }
    }

    /** What one scenario's clients were told, how soon the service came back, and what failed. */
    record Result(Scenario scenario, int claimed, int soldOut, long retried5xx, long dropped, double healthBack,
                  double claimBack, List<String> failures) {
        String row() {
            return String.format("%-36s %-13s %6d %9d %12d %8d %11.1f s %10.1f s  %s", scenario.fault, scenario.mode,
                    claimed, soldOut, retried5xx, dropped, healthBack, claimBack,
                    failures.isEmpty() ? "passed" : "FAILED: " + String.join("; ", failures));
        }
    }

    private final FaultStack stack;
    private final Size size;

    private FaultSuite(FaultStack stack, Size size) {
        this.stack = stack;
        this.size = size;
    }

    public static void main(String[] args) throws Exception {
        Size size = args.length > 0 && args[0].equals("--long") ? Size.LONG : Size.SHORT;
        if (System.getProperty("fault.down-seconds") != null) {
            size = new Size(size.name(), size.stock(), size.users(), size.clients(),
                    Duration.ofMillis((long) (1000 * Double.parseDouble(System.getProperty("fault.down-seconds")))));
        }
        Path data = Path.of(System.getProperty("java.io.tmpdir"), "fault-test-" + System.nanoTime());
        List<Result> results = run(size, data);
        System.exit(results.stream().allMatch(r -> r.failures().isEmpty()) ? 0 : 1);
    }

    /** Runs every scenario on one stack under {@code data}, printing the table; the results, for tests. */
    static List<Result> run(Size size, Path data) throws Exception {
        long started = System.nanoTime();
        System.out.printf("fault suite (%s form): stock %d, %d users on %d clients, each outage %.1f s%n", size.name(),
                size.stock(), size.users(), size.clients(), size.down().toMillis() / 1000.0);
        List<Result> results = new ArrayList<>();
        try (FaultStack stack = FaultStack.start(data)) {
            System.out.printf("servers and 4 instances up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            FaultSuite suite = new FaultSuite(stack, size);
            for (ServiceProcess instance : List.of(stack.sync, stack.eventDriven.get(0))) {
                for (String probe : PROBES) {
                    stack.createCoupon(instance.uri(), probeName(probe, instance), 100_000);
                }
            }
            for (Scenario scenario : scenarios()) {
                Result result = suite.run(scenario);
                System.out.println("  " + result.row());
                results.add(result);
            }
        }
        System.out.printf("%n%-36s %-13s %6s %9s %12s %8s %13s %12s  %s%n", "fault", "mode", "200", "sold_out",
                "5xx retried", "dropped", "health back", "claim back", "checks");
        results.forEach(result -> System.out.println(result.row()));
        System.out.printf("(health and claim back: seconds from the kill until every live instance is healthy and a"
                + " fresh claim is granted on each of %d coupons; bounds: the outage plus %d s, or %d s for an instance"
                + " gone for good)%nfault suite: %s in %.0f s%n", PROBES.size(), RECOVERY_BOUND.toSeconds(),
                FAILOVER_BOUND.toSeconds(), results.stream().allMatch(r -> r.failures().isEmpty()) ? "all passed"
                        : "FAILURES", (System.nanoTime() - started) / 1e9);
        return results;
    }

    /** Every scenario, or those named in {@code -Dfault.scenarios} (comma-separated), in their order. */
    private static List<Scenario> scenarios() {
        String named = System.getProperty("fault.scenarios");
        if (named == null || named.isBlank()) {
            return List.of(Scenario.values());
        }
        Set<String> names = Set.of(named.toUpperCase(java.util.Locale.ROOT).split(","));
        return java.util.Arrays.stream(Scenario.values()).filter(s -> names.contains(s.name())).toList();
    }

    private Result run(Scenario scenario) throws Exception {
        List<ServiceProcess> instances = scenario == Scenario.POSTGRES_SYNC ? List.of(stack.sync)
                : stack.alive(stack.eventDriven);
        for (ServiceProcess instance : instances) {
            if (!stack.awaitHealthy(instance, Duration.ofSeconds(60))) {
                return new Result(scenario, 0, 0, 0, 0, 0, 0, List.of(instance.instanceId() + " not healthy before"));
            }
        }
        String coupon = "FAULT_" + scenario.name() + "_" + System.nanoTime() % 1_000_000;
        stack.createCoupon(instances.get(0).uri(), coupon, size.stock());
        RetryingClients clients = new RetryingClients(instances.stream().map(ServiceProcess::uri).toList(), coupon,
                GIVE_UP);
        Thread sale = new Thread(() -> {
            try {
                clients.claimAll(size.users(), size.clients());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fault-sale");
        sale.start();
        // the fault strikes mid-sale, once about a third of the stock is sold
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (clients.claimed() < size.stock() / 3 && sale.isAlive() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Recovery recovery = strike(scenario, instances);
        sale.join();

        List<String> failures = new ArrayList<>(check(coupon, clients, instances));
        if (recovery.health() > recovery.bound().toMillis() / 1000.0) {
            failures.add(String.format("health back after %.1f s, over %d s", recovery.health(), recovery.bound().toSeconds()));
        }
        if (recovery.claim() > recovery.bound().toMillis() / 1000.0) {
            failures.add(String.format("claims back after %.1f s, over %d s", recovery.claim(), recovery.bound().toSeconds()));
        }
        Map<String, Answer> answers = clients.answers();
        return new Result(scenario, (int) answers.values().stream().filter(Answer::claimed).count(),
                (int) answers.values().stream().filter(Answer::soldOut).count(), clients.retried5xx(), clients.dropped(),
                recovery.health(), recovery.claim(), failures);
    }

    /** Seconds until health and a fresh claim were back, and the bound they must keep. */
    private record Recovery(double health, double claim, Duration bound) {
    }

    /** Injects the scenario's fault, repairs it after the outage, and measures how soon the service is back. */
    private Recovery strike(Scenario scenario, List<ServiceProcess> instances) throws Exception {
        long struck = System.nanoTime();
        switch (scenario) {
            case POSTGRES_SYNC, POSTGRES -> {
                stack.postgres.crash();
                Thread.sleep(size.down().toMillis());
                stack.postgres.start();
            }
            case BROKER -> {
                stack.broker.crash();
                Thread.sleep(size.down().toMillis());
                stack.broker.restart();
            }
            case INSTANCE -> {
                instances.get(1).crash();
                Thread.sleep(size.down().toMillis());
                instances.get(1).restart();
            }
            case INSTANCE_GONE -> instances.get(instances.size() - 1).crash();
        }
        long repaired = System.nanoTime();
        List<ServiceProcess> live = stack.alive(instances);
        // measured from the kill; a repaired server's outage counts into its bound
        Duration bound = scenario == Scenario.INSTANCE_GONE ? FAILOVER_BOUND
                : RECOVERY_BOUND.plusNanos(repaired - struck);
        long giveUp = struck + bound.toNanos() + Duration.ofSeconds(30).toNanos();
        ServiceProcess prober = scenario == Scenario.POSTGRES_SYNC ? stack.sync : stack.eventDriven.get(0);
        java.util.concurrent.ExecutorService probes = java.util.concurrent.Executors.newFixedThreadPool(PROBES.size() + 1);
        try {
            // each probe coupon claimed again and again by fresh users until one is granted, all at once,
            // so that one whose partition waits for a new owner holds up no other
            List<java.util.concurrent.Future<Double>> claims = new ArrayList<>();
            for (String probe : PROBES) {
                claims.add(probes.submit(() -> {
                    for (int attempt = 0; System.nanoTime() < giveUp; attempt++) {
                        if (stack.claimOnce(prober.uri(), probeName(probe, prober), "probe-" + repaired + "-" + attempt)) {
                            return (System.nanoTime() - struck) / 1e9;
                        }
                        Thread.sleep(50);
                    }
                    return Double.POSITIVE_INFINITY;
                }));
            }
            java.util.concurrent.Future<Double> health = probes.submit(() -> {
                while (System.nanoTime() < giveUp) {
                    if (live.stream().allMatch(instance -> stack.healthy(instance.uri()))) {
                        return (System.nanoTime() - struck) / 1e9;
                    }
                    Thread.sleep(50);
                }
                return Double.POSITIVE_INFINITY;
            });
            double claim = 0;
            for (java.util.concurrent.Future<Double> served : claims) {
                claim = Math.max(claim, served.get());
            }
            return new Recovery(health.get(), claim, bound);
        } finally {
            probes.shutdownNow();
        }
    }

    /** The probe coupon of this name for the claims through {@code instance}. */
    private static String probeName(String probe, ServiceProcess instance) {
        return probe + "_" + instance.instanceId().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    /** The promises, checked against the store and by sending every request again. */
    private List<String> check(String coupon, RetryingClients clients, List<ServiceProcess> instances) throws SQLException {
        List<String> failures = new ArrayList<>();
        Map<String, Answer> answers = clients.answers();
        if (answers.size() != size.users()) {
            failures.add((size.users() - answers.size()) + " users got no definite answer in " + GIVE_UP.toSeconds() + " s");
        }
        List<String> holders = new ArrayList<>();
        int remaining;
        try (Connection db = stack.database()) {
            try (PreparedStatement select = db.prepareStatement("SELECT user_id FROM claims WHERE coupon_name = ?")) {
                select.setString(1, coupon);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        holders.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement select = db.prepareStatement("SELECT remaining_amount FROM coupons WHERE name = ?")) {
                select.setString(1, coupon);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    remaining = row.getInt(1);
                }
            }
        }
        Set<String> holding = new HashSet<>(holders);
        if (holders.size() > size.stock() || remaining != size.stock() - holders.size() || remaining < 0) {
            failures.add("oversold: " + holders.size() + " holders of " + size.stock() + ", remaining " + remaining);
        }
        if (holding.size() != holders.size()) {
            failures.add((holders.size() - holding.size()) + " users hold it twice");
        }
        long toldButNotHolding = answers.entrySet().stream()
                .filter(e -> e.getValue().claimed() && !holding.contains(e.getKey())).count();
        if (toldButNotHolding > 0) {
            failures.add(toldButNotHolding + " told 200 do not hold it");
        }
        long soldOutButHolding = answers.entrySet().stream()
                .filter(e -> e.getValue().soldOut() && holding.contains(e.getKey())).count();
        if (soldOutButHolding > 0) {
            failures.add(soldOutButHolding + " told sold_out hold it");
        }
        if (answers.values().stream().anyMatch(Answer::soldOut) && remaining != 0) {
            failures.add("told sold_out while " + remaining + " were left");
        }
        long holdersNotTold200 = holding.stream().filter(user -> {
            Answer answer = answers.get(user);
            return answer != null && !answer.claimed();
        }).count();
        if (holdersNotTold200 > 0) {
            failures.add(holdersNotTold200 + " hold it but were told otherwise");
        }
        // every request again, with its key: the same answer as the first time
        RetryingClients replay = new RetryingClients(stack.alive(instances).stream().map(ServiceProcess::uri).toList(),
                coupon, Duration.ofSeconds(30));
        List<String> differ = answers.entrySet().parallelStream()
                .filter(told -> !told.getValue().equals(replay.claim(told.getKey(), told.getKey().hashCode())))
                .map(told -> told.getKey() + " first " + told.getValue()).toList();
        if (!differ.isEmpty()) {
            failures.add(differ.size() + " replays answered differently (" + differ.get(0) + ")");
        }
        return failures;
    }
}
