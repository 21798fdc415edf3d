package com.flashsale.coupon.benchmark;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code bin/flash-sale-benchmark}, parsed and checked in one place: a value that
 * cannot be used is one sentence naming the option, before anything is built or started (the
 * script runs {@link #main} with the last build's classes first).
 *
 * @param mode            sync or event-driven
 * @param stock           the coupon's stock
 * @param users           distinct users who claim
 * @param concurrency     HTTP connections
 * @param healthSeconds   the load tool's ceiling phase
 * @param baselineSeconds the one-transaction-per-claim baseline
 * @param waveSeconds     claims on the sold-out coupon
 * @param staleStatistics run on stale statistics of claims (implies statementStats)
 * @param statementStats  what each statement cost, from pg_stat_statements
 * @param postgresSettings extra PostgreSQL settings, name=value;name=value
 * @param warmupUsers     claims of each warm-up sale
 * @param warmupSeconds   the longest the warm-up sales may take
 * @param prefillClaims   claims of earlier sales put in the table first
 * @param wrk             the same sale again driven by wrk
 * @param out             where the reports go
 * @param url             a running service to measure instead of starting one; null to start one
 * @param jdbc            that service's PostgreSQL, with {@code url}
 */
public record BenchmarkOptions(String mode, int stock, int users, int concurrency, double healthSeconds,
                               double baselineSeconds, double waveSeconds, boolean staleStatistics,
                               boolean statementStats, String postgresSettings, int warmupUsers, double warmupSeconds,
                               long prefillClaims, boolean wrk, Path out, URI url, String jdbc, String jdbcUser,
                               String jdbcPassword) {

    static final Set<String> MODES = Set.of("sync", "event-driven");
    /** The largest stock a coupon may have. */
    static final int MAX_STOCK = 100_000;

    private static final List<String> NAMES = List.of("mode", "stock", "users", "concurrency", "health-seconds",
            "baseline-seconds", "wave-seconds", "stale-statistics", "statement-stats", "postgres-settings",
            "warmup-users", "warmup-seconds", "prefill-claims", "wrk", "out", "url", "jdbc", "jdbc-user",
            "jdbc-password");

    /** Parses {@code --name value} pairs; the exception's message is the one sentence to show. */
    public static BenchmarkOptions parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !NAMES.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            if (given.put(name.substring(2), args[i + 1]) != null) {
                throw new IllegalArgumentException("option " + name + " is given twice");
            }
        }
        Reader read = new Reader(given);
        String mode = given.getOrDefault("mode", "sync");
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("--mode must be sync or event-driven, got '" + mode + "'");
        }
        int stock = (int) read.whole("stock", 100_000, 1, MAX_STOCK);
        int users = (int) read.whole("users", 150_000, 1, 10_000_000);
        boolean staleStatistics = read.bool("stale-statistics");
        URI url = given.containsKey("url") ? read.uri("url") : null;
        if (url != null && !given.containsKey("jdbc")) {
            throw new IllegalArgumentException("--url needs --jdbc, the service's PostgreSQL, for the baseline");
        }
        if (url == null && given.containsKey("jdbc")) {
            throw new IllegalArgumentException("--jdbc goes with --url, a running service; without --url the"
                    + " benchmark starts its own");
        }
        return new BenchmarkOptions(mode, stock, users,
                (int) read.whole("concurrency", 256, 1, 20_000),
                read.seconds("health-seconds", 10, false),
                read.seconds("baseline-seconds", 20, false),
                read.seconds("wave-seconds", 10, false),
                staleStatistics,
                staleStatistics || read.bool("statement-stats"),
                given.getOrDefault("postgres-settings", ""),
                (int) read.whole("warmup-users", Math.min(users, 30_000), 0, 10_000_000),
                read.seconds("warmup-seconds", 180, true),
                read.whole("prefill-claims", 0, 0, 1_000_000_000L),
                read.bool("wrk"),
                Path.of(given.getOrDefault("out", "benchmark/target")).toAbsolutePath(),
                url, given.get("jdbc"), given.getOrDefault("jdbc-user", "coupons"),
                given.getOrDefault("jdbc-password", "coupons"));
    }

    /** Checks the options alone and exits: 0 when the benchmark may run, 2 with one sentence when not. */
    public static void main(String[] args) {
        try {
            parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("flash-sale-benchmark: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Reads each kind of value, with one sentence for one that is not of it. */
    private record Reader(Map<String, String> given) {

        long whole(String name, long fallback, long min, long max) {
            String text = given.get(name);
            if (text == null) {
                return fallback;
            }
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                value = Long.MIN_VALUE;
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to " + max
                        + ", got '" + text + "'");
            }
            return value;
        }

        double seconds(String name, double fallback, boolean zeroAllowed) {
            String text = given.get(name);
            if (text == null) {
                return fallback;
            }
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value > 0 || (zeroAllowed && value == 0)) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("--" + name + " must be a number of seconds, "
                        + (zeroAllowed ? "0 or more" : "more than 0") + ", got '" + text + "'");
            }
            return value;
        }

        boolean bool(String name) {
            String text = given.getOrDefault(name, "false");
            if (!text.equals("true") && !text.equals("false")) {
                throw new IllegalArgumentException("--" + name + " must be true or false, got '" + text + "'");
            }
            return Boolean.parseBoolean(text);
        }

        URI uri(String name) {
            String text = given.get(name);
            try {
                URI uri = URI.create(text);
                if (("http".equals(uri.getScheme())) && uri.getHost() != null && uri.getPort() > 0) {
                    return uri;
                }
            } catch (IllegalArgumentException malformed) {
                // said below
            }
            throw new IllegalArgumentException("--" + name + " must be http://host:port, got '" + text + "'");
        }
    }
}
