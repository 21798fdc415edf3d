package com.flashsale.coupon.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Measures the HTTP round trip of a claim against a running service: for each client count, a
 * fresh coupon whose stock never runs out, distinct users, a warm-up, then a measured run.
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
        URI claim = base.resolve("/api/coupons/claim");
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        for (int clients : clientCounts) {
            HttpClient http = ClosedLoop.client(clients);
            String coupon = "RT_" + run + "_" + clients;
            HttpResponse<String> created = http.send(ClosedLoop.postJson(base.resolve("/api/coupons"),
                    "{\"name\":\"" + coupon + "\",\"amount\":100000}"), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("could not create " + coupon + ": " + created.statusCode() + " "
                        + created.body());
            }
            ClosedLoop.RequestFactory claims = (client, seq) -> ClosedLoop.postJson(claim,
                    "{\"user_id\":\"u-" + client + "-" + seq + "\",\"coupon_name\":\"" + coupon + "\"}");
            ClosedLoop.run(http, clients, Duration.ofSeconds(3), (client, seq) -> ClosedLoop.postJson(claim,
                    "{\"user_id\":\"warm-" + client + "-" + seq + "\",\"coupon_name\":\"" + coupon + "\"}"));
            ClosedLoop.Result result = ClosedLoop.run(http, clients, Duration.ofSeconds(seconds), claims);
            System.out.println("claim round trip: " + result.summary());
        }
        System.exit(0);
    }
}
