package com.flashsale.coupon.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flash-sale benchmark. Starts the service (either transport) with {@code bin/run-local} on a
 * durable embedded PostgreSQL and Kafka, or targets a running one; then measures, at the same
 * concurrency: the load tool's ceiling on {@code /health/liveness}; the one-transaction-per-claim
 * baseline over JDBC; the flash sale itself (stock S, N distinct users); and a wave of claims on
 * the sold-out coupon. Verifies the result through the API and fails loudly if it is wrong.
 * Prints every figure, and writes them as JSON and as an HTML report.
 *
 * <pre>bin/flash-sale-benchmark [--mode sync|event-driven] [--stock 100000] [--users 150000]
 *     [--concurrency 256] [--health-seconds 10] [--baseline-seconds 20] [--wave-seconds 10]
 *     [--url http://host:port --jdbc jdbc:postgresql://host:port/db] [--stale-statistics true]</pre>
 *
 * <p>{@code --stale-statistics true} runs the sale on statistics of {@code claims} taken when it
 * held 50 rows, with autovacuum off for it, and reports each statement's cost from
 * pg_stat_statements ({@link StaleStatistics}).
 */
public final class FlashSaleBenchmark {

    private FlashSaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("flash-sale-benchmark: " + e.getMessage() + " (bin/flash-sale-benchmark --help)");
            System.exit(2);
            return;
        }
        String mode = options.mode();
        Path out = options.out();
        Files.createDirectories(out);

        Service service = options.url() != null
                ? Service.external(options.url(), options.jdbc(), options.jdbcUser(), options.jdbcPassword())
                : Service.start(mode, out.resolve("run-" + System.currentTimeMillis()), options.statementStats(),
                        options.postgresSettings());
        boolean verified;
        Map<String, Object> report = new LinkedHashMap<>();
        try {
            verified = run(service, mode, options.stock(), options.users(), options.concurrency(),
                    options.healthSeconds(), options.baselineSeconds(), options.waveSeconds(), options.staleStatistics(),
                    options.statementStats(), options.prefillClaims(), options.warmupUsers(), options.warmupSeconds(),
                    options.wrk(), out, report);
        } finally {
            service.close();
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path jsonFile = out.resolve("flash-sale-" + mode + ".json");
        json.writeValue(jsonFile.toFile(), report);
        Path htmlFile = out.resolve("flash-sale-" + mode + ".html");
        Files.writeString(htmlFile, Report.html(report, mode));
        System.out.println("results: " + jsonFile + "\nreport:  " + htmlFile);
        // the other mode's run in the same directory, when there is one: both side by side
        String other = mode.equals("sync") ? "event-driven" : "sync";
        Path otherJson = out.resolve("flash-sale-" + other + ".json");
        if (Files.exists(otherJson)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> otherReport = json.readValue(otherJson.toFile(), Map.class);
            Path comparison = out.resolve(Report.COMPARISON);
            Files.writeString(comparison, Report.comparison(mode.equals("sync") ? List.of(report, otherReport)
                    : List.of(otherReport, report)));
            System.out.println("both modes: " + comparison + " (with the " + other + " run of "
                    + Files.getLastModifiedTime(otherJson) + ")");
        }
        if (!verified) {
            System.err.println("VERIFICATION FAILED: see the lines above");
            System.exit(1);
        }
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private static boolean run(Service service, String mode, int stock, int users, int concurrency,
                               double healthSeconds, double baselineSeconds, double waveSeconds,
                               boolean staleStatistics, boolean statementStats, long prefillClaims, int warmupUsers,
                               double warmupSeconds, boolean wrk, Path out,
                               Map<String, Object> report)
            throws Exception {
        URI base = service.base();
        String host = base.getHost();
        int port = base.getPort();
        InetSocketAddress address = new InetSocketAddress(host, port);
        report.put("mode", mode);
        report.put("stock", stock);
        report.put("users", users);
        report.put("concurrency", concurrency);
        report.put("warmup_users", warmupUsers);
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version")));
        double calibration = Calibration.millis();
        report.put("calibration_ms", calibration);
        System.out.printf("machine speed: the fixed calibration work took %.0f ms of CPU (lower is faster;"
                + " compare runs next to it)%n", calibration);
        Map<String, String> durability = durability(service);
        report.put("postgres", durability);
        System.out.printf("flash-sale benchmark: mode=%s stock=%d users=%d concurrency=%d, PostgreSQL %s%n",
                mode, stock, users, concurrency, durability);

        if (prefillClaims > 0) {
            Prefill.fill(service.jdbcUrl(), service.jdbcUser(), service.jdbcPassword(), prefillClaims);
            report.put("prefilled_claims", prefillClaims);
        }
        if (statementStats) {
            StaleStatistics.watch(service.jdbcUrl());
        }
        if (staleStatistics) {
            StaleStatistics.makeStale(service.jdbcUrl());
        }

        // 1. the baseline: one transaction per claim, same PostgreSQL, at most as many clients as it allows
        int baselineClients = Baseline.clients(service.jdbcUrl(), service.jdbcUser(), service.jdbcPassword(),
                concurrency);
        if (baselineClients < concurrency) {
            System.out.printf("baseline: %d clients, not %d: PostgreSQL's max_connections keeps room for the"
                    + " service and the tools%n", baselineClients, concurrency);
        }
        Phase baseline = Baseline.run(service.jdbcUrl(), service.jdbcUser(), service.jdbcPassword(), baselineClients,
                baselineSeconds);
        System.out.println(baseline.line());
        report.put("baseline_clients", baselineClients);

        // the warm-up: small sales on coupons of their own, each followed by a second of the liveness
        // load, so the JIT has compiled both paths it measures; compiled with both in their type
        // profiles, neither phase makes it throw away (deoptimize) what the other needs. One sale
        // leaves the JIT busy for the whole measured sale on a slow machine (half the service's CPU
        // went to its compiler threads), so rounds follow until those threads are nearly idle, or
        // --warmup-seconds pass.
        byte[] liveness = NioLoad.get(host, port, "/health/liveness");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Object> warm = warmUp(service, http, address, concurrency, warmupUsers, warmupSeconds, liveness);
        report.put("warmup", warm);
        System.out.printf("warm-up: %d sales of %d claims in %.1f s; the JIT used %.0f%% of a core in the last%n",
                warm.get("sales"), warmupUsers, warm.get("seconds"), 100 * (double) warm.get("jit_cores_last_sale"));

        // 2. the load tool's ceiling, on the cheapest endpoint there is, warm
        NioLoad.Samples healthSamples = livenessLoad(address, concurrency, healthSeconds, liveness);
        Phase health = new Phase("health ceiling", healthSamples, healthSeconds);
        System.out.println(health.line());

        // 3. the flash sale
        Map<String, Long> maintenanceBefore = statementStats ? StaleStatistics.reset(service.jdbcUrl()) : Map.of();
        String coupon = "FLASH_" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        createCoupon(http, base, coupon, stock);
        byte[][] claims = new byte[users][];
        for (int u = 0; u < users; u++) {
            claims[u] = NioLoad.postJson(host, port, "/api/coupons/claim",
                    "{\"user_id\":\"user-" + u + "\",\"coupon_name\":\"" + coupon + "\"}");
        }
        AtomicLong nextUser = new AtomicLong();
        ServiceMeters metersBefore = ServiceMeters.read(http, base);
        ProcessCpu.Timeline cpu = service.cpu().record(50);
        // while the sale runs, one client reads a sold-out coupon of an earlier sale with 100,000 holders
        SoldCouponReader reader = prefillClaims >= Prefill.HOLDERS_PER_COUPON
                ? SoldCouponReader.start(base, Prefill.soldCoupon()) : null;
        long saleStart = System.nanoTime();
        NioLoad.Samples sale = NioLoad.run(address, concurrency, seconds(600), (c, s) -> {
            long u = nextUser.getAndIncrement();
            return u < users ? new NioLoad.Request(claims[(int) u], u) : null;
        }, FlashSaleBenchmark::classifyClaim);
        double saleSeconds = (System.nanoTime() - saleStart) / 1e9;
        Phase soldCouponReads = reader == null ? null : reader.stop();
        Phase flashSale = new Phase("flash sale (all)", sale, saleSeconds);
        System.out.println(flashSale.line());

        // the selling phase: from the first claim until the last grant was answered
        long lastGrantEnd = 0;
        long granted = 0;
        for (int i = 0; i < sale.size; i++) {
            if (sale.outcome[i] == Phase.GRANTED) {
                granted++;
                lastGrantEnd = Math.max(lastGrantEnd, sale.startNanos[i] + sale.latencyNanos[i]);
            }
        }
        double sellingSeconds = lastGrantEnd / 1e9;
        int sellingCount = 0;
        for (int i = 0; i < sale.size; i++) {
            if (sale.startNanos[i] + sale.latencyNanos[i] <= lastGrantEnd) {
                sellingCount++;
            }
        }
        long[] sellingLatencies = new long[sellingCount];
        long[] sellingStarts = new long[sellingCount];
        byte[] sellingOutcomes = new byte[sellingCount];
        short[] sellingStatuses = new short[sellingCount];
        for (int i = 0, j = 0; i < sale.size; i++) {
            if (sale.startNanos[i] + sale.latencyNanos[i] <= lastGrantEnd) {
                sellingLatencies[j] = sale.latencyNanos[i];
                sellingStarts[j] = sale.startNanos[i];
                sellingOutcomes[j] = sale.outcome[i];
                sellingStatuses[j] = sale.status[i];
                j++;
            }
        }
        Phase selling = new Phase("selling phase", sellingLatencies, sellingStarts, sellingStatuses, sellingOutcomes,
                sellingCount, 0, sellingSeconds);
        double grantedPerSecond = granted / sellingSeconds;
        System.out.println(selling.line());
        System.out.printf("granted claims/s in the selling phase: %.0f  (%d granted in %.2f s)%n",
                grantedPerSecond, granted, sellingSeconds);
        // the first and the last 3 s, or halves of a shorter selling phase
        Map<String, Double> held = heldRate(sale, lastGrantEnd, Math.min(seconds(3), lastGrantEnd / 2));
        System.out.printf("granted claims/s, first %.1f s: %.0f   last %.1f s: %.0f   (last / first: %.0f%%)%n",
                held.get("window_seconds"), held.get("first"), held.get("window_seconds"), held.get("last"),
                100 * held.get("last_over_first"));
        if (soldCouponReads != null) {
            System.out.println(soldCouponReads.line());
        }
        Map<String, Double> claimsPerRecord = ServiceMeters.read(http, base).claimsPerRecordSince(metersBefore);
        if (!claimsPerRecord.isEmpty()) {
            System.out.printf("claim request records published: %.0f, carrying %.0f claims (%.1f per record)%n",
                    claimsPerRecord.get("records"), claimsPerRecord.get("claims"), claimsPerRecord.get("mean"));
        }
        Map<String, Double> cpuPerClaim = ProcessCpu.microsPer(cpu.at(saleStart), cpu.at(saleStart + lastGrantEnd),
                granted);
        System.out.println("CPU per granted claim over the selling phase (us): " + cpuLine(cpuPerClaim));
        Map<String, Double> serviceThreads = ProcessCpu.microsPer(cpu.threadsAt(saleStart),
                cpu.threadsAt(saleStart + lastGrantEnd), granted);
        serviceThreads.values().removeIf(micros -> micros < 1);
        if (!serviceThreads.isEmpty()) {
            System.out.println("  the service's share, by thread (us): " + cpuLine(sortedByValue(serviceThreads)));
        }

        if (statementStats) {
            report.put("statement_stats", StaleStatistics.report(service.jdbcUrl(), maintenanceBefore));
        }

        // 4. a wave of claims on the sold-out coupon
        AtomicLong waveUser = new AtomicLong();
        long waveStart = System.nanoTime();
        NioLoad.Samples waveSamples = NioLoad.run(address, concurrency, seconds(waveSeconds), (c, s) -> {
            long u = waveUser.getAndIncrement();
            return new NioLoad.Request(NioLoad.postJson(host, port, "/api/coupons/claim",
                    "{\"user_id\":\"late-" + u + "\",\"coupon_name\":\"" + coupon + "\"}"), u);
        }, FlashSaleBenchmark::classifyClaim);
        Phase wave = new Phase("sold-out wave", waveSamples, waveSeconds);
        System.out.println(wave.line());
        long waveEnd = System.nanoTime();
        Thread.sleep(100); // one more CPU sample after the wave
        cpu.close();
        Map<String, Double> cpuPerWaveClaim = ProcessCpu.microsPer(cpu.at(waveStart), cpu.at(waveEnd), wave.requests);
        Map<String, Double> waveThreads = ProcessCpu.microsPer(cpu.threadsAt(waveStart), cpu.threadsAt(waveEnd),
                wave.requests);
        waveThreads.values().removeIf(micros -> micros < 0.5);
        System.out.println("CPU per sold-out claim of the wave (us): " + cpuLine(cpuPerWaveClaim));
        if (!waveThreads.isEmpty()) {
            System.out.println("  the service's share, by thread (us): " + cpuLine(sortedByValue(waveThreads)));
        }

        // 5. optionally, the same sale again driven by wrk, both measured from the database
        List<String> failures = new java.util.ArrayList<>();
        if (wrk) {
            failures.addAll(crossCheckWithWrk(service, http, coupon, stock, users, concurrency, sellingSeconds,
                    prefillClaims >= Prefill.HOLDERS_PER_COUPON, out, report));
        }

        // 6. verification through the API
        Set<String> winners = new HashSet<>();
        for (int i = 0; i < sale.size; i++) {
            if (sale.outcome[i] == Phase.GRANTED) {
                winners.add("user-" + sale.tag[i]);
            }
        }
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(base.resolve("/api/coupons/" + coupon))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(read.body());
        Set<String> claimedBy = new HashSet<>();
        body.get("claimed_by").forEach(node -> claimedBy.add(node.asText()));
        int expectedWinners = Math.min(users, stock);
        check(failures, read.statusCode() == 200, "GET answered " + read.statusCode());
        check(failures, granted == expectedWinners, "granted " + granted + ", expected exactly " + expectedWinners);
        check(failures, winners.size() == granted, "a user was granted twice");
        check(failures, body.get("remaining_amount").asInt() == stock - granted,
                "remaining " + body.get("remaining_amount") + ", expected " + (stock - granted));
        check(failures, body.get("claimed_by").size() == claimedBy.size(), "claimed_by repeats a user");
        check(failures, claimedBy.equals(winners), "claimed_by differs from the users who were told 200");
        check(failures, wave.outcomes.getOrDefault("sold_out", 0L) == wave.requests,
                "the sold-out wave got answers other than sold_out: " + wave.outcomes);
        check(failures, flashSale.errors == 0 && wave.errors == 0, "connection errors during the sale or the wave");
        check(failures, soldCouponReads == null || soldCouponReads.statuses.keySet().equals(Set.of("200")),
                "GET of the sold coupon during the sale answered " + (soldCouponReads == null ? "" : soldCouponReads.statuses));
        System.out.println(failures.isEmpty()
                ? "verified: " + granted + " winners, remaining " + body.get("remaining_amount")
                        + ", claimed_by equals the users told 200"
                : "verification failed: " + failures);

        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("granted_per_second", grantedPerSecond);
        ratios.put("selling_rate_held", held);
        ratios.put("cpu_us_per_granted_claim", cpuPerClaim);
        ratios.put("claims_per_claim_record", claimsPerRecord);
        ratios.put("service_cpu_us_per_granted_claim_by_thread", serviceThreads);
        ratios.put("cpu_us_per_sold_out_wave_claim", cpuPerWaveClaim);
        ratios.put("service_cpu_us_per_sold_out_wave_claim_by_thread", waveThreads);
        ratios.put("selling_rate_over_baseline", grantedPerSecond / baseline.perSecond);
        ratios.put("sold_out_wave_over_health_ceiling", wave.perSecond / health.perSecond);
        System.out.printf("selling-phase granted rate / baseline rate: %.1fx   sold-out wave / health ceiling: %.0f%%%n",
                grantedPerSecond / baseline.perSecond, 100 * wave.perSecond / health.perSecond);
        List<Map<String, Object>> phases = new java.util.ArrayList<>(List.of(health.toJson(), baseline.toJson(),
                flashSale.toJson(), selling.toJson(), wave.toJson()));
        if (soldCouponReads != null) {
            phases.add(soldCouponReads.toJson());
        }
        report.put("phases", phases);
        report.put("ratios", ratios);
        report.put("verification", Map.of("passed", failures.isEmpty(), "failures", failures,
                "winners", granted, "remaining", body.get("remaining_amount").asInt()));
        report.put("histograms", Map.of("selling phase", Report.histogram(selling.latenciesMillis),
                "sold-out wave", Report.histogram(wave.latenciesMillis),
                "baseline (JDBC)", Report.histogram(baseline.latenciesMillis)));
        return failures.isEmpty();
    }

    /**
     * The same sale twice more, each on a fresh coupon and with the same reads of a sold coupon
     * alongside: once driven by wrk, then once more by the own tool. Each is measured from the
     * database, and wrk is compared with the own tool's second sale, which runs as warm as wrk's
     * (the counted sale comes first, while the JIT still compiles some of the path).
     */
    private static List<String> crossCheckWithWrk(Service service, HttpClient http, String coupon, int stock,
                                                  int users, int concurrency, double sellingSeconds,
                                                  boolean readSoldCoupon, Path out,
                                                  Map<String, Object> report) throws Exception {
        if (!WrkCrossCheck.installed()) {
            return List.of("--wrk true, but wrk is not installed (apt-get install wrk)");
        }
        Map<String, Object> counted = WrkCrossCheck.grantedRate(service.jdbcUrl(), service.jdbcUser(),
                service.jdbcPassword(), coupon);
        String wrkCoupon = "WRK_" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        createCoupon(http, service.base(), wrkCoupon, stock);
        int seconds = (int) Math.ceil(sellingSeconds * 1.5) + 2;
        SoldCouponReader reader = readSoldCoupon ? SoldCouponReader.start(service.base(), Prefill.soldCoupon()) : null;
        Map<String, Object> byWrk = WrkCrossCheck.run(service.base(), service.jdbcUrl(), service.jdbcUser(),
                service.jdbcPassword(), wrkCoupon, concurrency, seconds, out);
        if (reader != null) {
            reader.stop();
        }
        String againCoupon = "AGAIN_" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        createCoupon(http, service.base(), againCoupon, stock);
        reader = readSoldCoupon ? SoldCouponReader.start(service.base(), Prefill.soldCoupon()) : null;
        String host = service.base().getHost();
        int port = service.base().getPort();
        AtomicLong next = new AtomicLong();
        NioLoad.run(new InetSocketAddress(host, port), concurrency, seconds(600), (c, s) -> {
            long u = next.getAndIncrement();
            return u < users ? new NioLoad.Request(NioLoad.postJson(host, port, "/api/coupons/claim",
                    "{\"user_id\":\"again-" + u + "\",\"coupon_name\":\"" + againCoupon + "\"}"), u) : null;
        }, FlashSaleBenchmark::classifyClaim);
        if (reader != null) {
            reader.stop();
        }
        Map<String, Object> own = WrkCrossCheck.grantedRate(service.jdbcUrl(), service.jdbcUser(),
                service.jdbcPassword(), againCoupon);
        double ratio = (double) byWrk.get("granted_per_second") / (double) own.get("granted_per_second");
        System.out.printf("wrk cross-check (granted/s by claimed_at in the database): the counted sale %.0f; then wrk"
                        + " %.0f (%d granted in %.2f s), then the own tool again %.0f; wrk / own tool again %.0f%%%s%n",
                counted.get("granted_per_second"), byWrk.get("granted_per_second"), byWrk.get("granted"),
                byWrk.get("span_seconds"), own.get("granted_per_second"), 100 * ratio,
                Math.abs(ratio - 1) <= 0.15 ? ", within 15%" : ", NOT within 15%");
        System.out.printf("  wrk used %.1f CPU-s over its %d s (every claim of its run, the sold-out ones too)%n",
                byWrk.get("wrk_cpu_seconds"), seconds);
        System.out.println(((String) byWrk.get("wrk_summary")).strip().indent(4));
        Map<String, Object> crossCheck = new LinkedHashMap<>();
        crossCheck.put("counted_sale", counted);
        crossCheck.put("own_tool_again", own);
        crossCheck.put("wrk", byWrk);
        crossCheck.put("wrk_over_own", ratio);
        report.put("wrk_cross_check", crossCheck);
        long granted = (long) byWrk.get("granted");
        return granted == stock ? List.of()
                : List.of("the sale driven by wrk granted " + granted + " of a stock of " + stock);
    }

    /** The liveness request, again and again over {@code concurrency} connections, for {@code secs} seconds. */
    private static NioLoad.Samples livenessLoad(InetSocketAddress address, int concurrency, double secs,
                                                byte[] liveness) throws Exception {
        return NioLoad.run(address, concurrency, seconds(secs), (c, s) -> new NioLoad.Request(liveness, 0),
                (a, b, d, e) -> (byte) 0);
    }

    /** Below this share of one core over a warm-up sale, the JIT is taken to be done with the claim path. */
    private static final double JIT_SETTLED_CORES = 0.10;

    /**
     * Warm-up rounds (a sale whose stock is half the users, so half of the claims find it sold out,
     * then three reads of the sold coupon, then a second of the liveness load) until the
     * service's JIT compiler threads used under {@link #JIT_SETTLED_CORES} of a core over the last
     * one, or {@code maxSeconds} have passed. A service not started here shows no threads: one sale.
     */
    private static Map<String, Object> warmUp(Service service, HttpClient http, InetSocketAddress address,
                                              int concurrency, int users, double maxSeconds, byte[] liveness)
            throws Exception {
        String host = address.getHostString();
        int port = address.getPort();
        long started = System.nanoTime();
        int sales = 0;
        double jitCores;
        do {
            String coupon = "WARMUP_" + Long.toString(System.nanoTime(), 36).toUpperCase();
            createCoupon(http, service.base(), coupon, Math.max(1, users / 2));
            long jitBefore = jitTicks(service.cpu().serviceThreads());
            long saleStart = System.nanoTime();
            AtomicLong user = new AtomicLong();
            NioLoad.run(address, concurrency, seconds(60), (c, s) -> {
                long u = user.getAndIncrement();
                return u < users ? new NioLoad.Request(NioLoad.postJson(host, port, "/api/coupons/claim",
                        "{\"user_id\":\"warm-" + u + "\",\"coupon_name\":\"" + coupon + "\"}"), u) : null;
            }, FlashSaleBenchmark::classifyClaim);
            // the sale reads a sold coupon meanwhile: its path is warmed on this one (read from the
            // store once, then kept as final)
            for (int read = 0; read < 3; read++) {
                http.send(HttpRequest.newBuilder(service.base().resolve("/api/coupons/" + coupon))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            livenessLoad(address, concurrency, 1, liveness);
            double saleSeconds = (System.nanoTime() - saleStart) / 1e9;
            jitCores = (jitTicks(service.cpu().serviceThreads()) - jitBefore) / (double) ProcessCpu.TICKS_PER_SECOND
                    / saleSeconds;
            sales++;
        } while (jitCores >= JIT_SETTLED_CORES && (System.nanoTime() - started) / 1e9 < maxSeconds
                && !service.cpu().serviceThreads().isEmpty());
        Map<String, Object> warm = new LinkedHashMap<>();
        warm.put("sales", sales);
        warm.put("seconds", (System.nanoTime() - started) / 1e9);
        warm.put("jit_cores_last_sale", jitCores);
        return warm;
    }

    /** CPU ticks of the JIT's compiler threads (C1 and C2) among the service's threads by kind. */
    private static long jitTicks(Map<String, Long> threads) {
        return threads.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Creates a coupon through the API, or fails loudly. */
    static void createCoupon(HttpClient http, URI base, String name, int amount) throws IOException, InterruptedException {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/coupons"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"amount\":" + amount + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("could not create " + name + ": " + created.statusCode() + " " + created.body());
        }
    }

    /** Granted claims/s answered in the first and in the last {@code window} of the selling phase, and their ratio. */
    private static Map<String, Double> heldRate(NioLoad.Samples sale, long sellingEnd, long window) {
        long first = 0;
        long last = 0;
        for (int i = 0; i < sale.size; i++) {
            if (sale.outcome[i] == Phase.GRANTED) {
                long end = sale.startNanos[i] + sale.latencyNanos[i];
                first += end < window ? 1 : 0;
                last += end > sellingEnd - window ? 1 : 0;
            }
        }
        double seconds = window / 1e9;
        Map<String, Double> held = new LinkedHashMap<>();
        held.put("window_seconds", seconds);
        held.put("first", first / seconds);
        held.put("last", last / seconds);
        held.put("last_over_first", first == 0 ? Double.NaN : (double) last / first);
        return held;
    }

    private static Map<String, Double> sortedByValue(Map<String, Double> values) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        values.entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.put("total", values.get("total"));
        return sorted;
    }

    private static String cpuLine(Map<String, Double> micros) {
        StringBuilder line = new StringBuilder();
        micros.forEach((role, value) -> line.append(line.length() == 0 ? "" : ", ").append(role)
                .append(String.format(value < 10 ? " %.1f" : " %.0f", value)));
        Double load = micros.get("load tool");
        if (load != null && micros.get("total") > 0) {
            line.append(String.format("   (load tool's share: %.0f%%)", 100 * load / micros.get("total")));
        }
        return line.toString();
    }

    private static void check(List<String> failures, boolean condition, String failure) {
        if (!condition) {
            failures.add(failure);
        }
    }

    static byte classifyClaim(int status, byte[] buffer, int bodyStart, int bodyLength) {
        if (status == 200) {
            return Phase.GRANTED;
        }
        if (status == 404) {
            return Phase.NOT_FOUND;
        }
        if (status == 409) {
            String body = new String(buffer, bodyStart, Math.min(bodyLength, 40), StandardCharsets.US_ASCII);
            return body.contains("sold_out") ? Phase.SOLD_OUT
                    : body.contains("already_claimed") ? Phase.ALREADY_CLAIMED : Phase.OTHER;
        }
        return Phase.OTHER;
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static Map<String, String> durability(Service service) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(service.jdbcUrl(), service.jdbcUser(),
                service.jdbcPassword()); Statement statement = connection.createStatement()) {
            for (String name : List.of("server_version", "fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet row = statement.executeQuery("SELECT current_setting('" + name + "')")) {
                    row.next();
                    settings.put(name, row.getString(1));
                }
            }
        }
        if (!"on".equals(settings.get("fsync")) || !"on".equals(settings.get("synchronous_commit"))) {
            throw new IllegalStateException("the benchmark needs a durable PostgreSQL, found " + settings);
        }
        return settings;
    }

    /** The service under test: one started here with bin/run-local, or one already running. */
    interface Service extends AutoCloseable {
        URI base();

        String jdbcUrl();

        String jdbcUser();

        String jdbcPassword();

        /** The processes whose CPU time the benchmark reports. */
        ProcessCpu cpu();

        @Override
        void close() throws Exception;

        static Service external(URI base, String jdbcUrl, String user, String password) {
            return new Service() {
                public URI base() {
                    return base;
                }

                public String jdbcUrl() {
                    return jdbcUrl;
                }

                public String jdbcUser() {
                    return user;
                }

                public String jdbcPassword() {
                    return password;
                }

                public ProcessCpu cpu() {
                    return ProcessCpu.loadToolOnly();
                }

                public void close() {
                }
            };
        }

        static Service start(String mode, Path data, boolean statementStats, String postgresSettings) throws Exception {
            Files.createDirectories(data);
            int httpPort = freePort();
            int postgresPort = freePort();
            Path log = data.resolve("service.log");
            ProcessBuilder builder = new ProcessBuilder(Path.of("bin/run-local").toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of(
                    "RUN_LOCAL_SKIP_BUILD", "1",
                    "EVENT_DRIVEN_ENABLED", Boolean.toString(!"sync".equals(mode)),
                    "LOCAL_DATA_DIR", data.toString(),
                    "PORT", Integer.toString(httpPort),
                    "LOCAL_POSTGRES_PORT", Integer.toString(postgresPort),
                    "LOCAL_KAFKA_PORT", Integer.toString(freePort())));
            String settings = String.join(";", java.util.stream.Stream.of(
                    statementStats ? StaleStatistics.SERVER_SETTINGS : "", postgresSettings)
                    .filter(part -> !part.isBlank()).toList());
            if (!settings.isEmpty()) {
                builder.environment().put("LOCAL_POSTGRES_SETTINGS", settings);
            }
            Process process = builder.start();
            Instant deadline = Instant.now().plusSeconds(180);
            while (!Files.readString(log).contains("local-stack: ready")) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the service did not start; see " + log);
                }
                Thread.sleep(250);
            }
            System.out.println("service: " + mode + " mode on port " + httpPort + ", log " + log);
            String jdbc = "jdbc:postgresql://localhost:" + postgresPort + "/coupons";
            ProcessCpu cpu = ProcessCpu.of(process.toHandle(), data);
            return new Service() {
                public URI base() {
                    return URI.create("http://localhost:" + httpPort);
                }

                public String jdbcUrl() {
                    return jdbc;
                }

                public String jdbcUser() {
                    return "coupons";
                }

                public String jdbcPassword() {
                    return "coupons";
                }

                public ProcessCpu cpu() {
                    return cpu;
                }

                public void close() throws Exception {
                    process.destroy();
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            };
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
