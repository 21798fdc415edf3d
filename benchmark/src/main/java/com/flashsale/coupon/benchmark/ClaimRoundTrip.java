package com.flashsale.coupon.benchmark;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Measures the HTTP round trip of a claim against a running service: for each client count, a
 * fresh coupon, distinct users, a 3 s warm-up on a coupon of its own, then a measured closed-loop
 * run with the benchmark's load tool. Fails loudly if the stock ran out, which would measure the
 * sold-out path instead.
 *
 * <pre>bin/claim-round-trip [base-url] [seconds] [clients ...]   (defaults: http://localhost:8080 10 1 64)</pre>
 */
public final class ClaimRoundTrip {

    private ClaimRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int[] clientCounts = args.length > 2
                ? java.util.Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 64};
        String host = base.getHost();
        int port = base.getPort();
        InetSocketAddress address = new InetSocketAddress(host, port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36).toUpperCase();
        for (int clients : clientCounts) {
            String warmup = "RTW_" + run + "_" + clients;
            String coupon = "RT_" + run + "_" + clients;
            FlashSaleBenchmark.createCoupon(http, base, warmup, 100_000);
            FlashSaleBenchmark.createCoupon(http, base, coupon, 100_000);
            NioLoad.run(address, clients, Duration.ofSeconds(3).toNanos(), (client, seq) -> new NioLoad.Request(
                    NioLoad.postJson(host, port, "/api/coupons/claim",
                            "{\"user_id\":\"warm-" + client + "-" + seq + "\",\"coupon_name\":\"" + warmup + "\"}"), 0),
                    FlashSaleBenchmark::classifyClaim);
            NioLoad.Samples samples = NioLoad.run(address, clients, Duration.ofSeconds(seconds).toNanos(),
                    (client, seq) -> new NioLoad.Request(NioLoad.postJson(host, port, "/api/coupons/claim",
                            "{\"user_id\":\"u-" + client + "-" + seq + "\",\"coupon_name\":\"" + coupon + "\"}"), 0),
                    FlashSaleBenchmark::classifyClaim);
            Phase phase = new Phase("claim round trip, " + clients + " clients", samples, seconds);
            System.out.println(phase.line());
            if (phase.outcomes.getOrDefault("granted", 0L) != phase.requests) {
                System.err.println("not every claim was granted (stock ran out?): use fewer seconds");
                System.exit(1);
            }
        }
        System.exit(0);
    }
}
