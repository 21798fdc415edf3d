package com.flashsale.coupon.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A closed-loop load: {@code clients} threads, each sending its next request as soon as the last
 * one answered, for a fixed time. Records every latency (no sampling), so percentiles are exact.
 */
final class ClosedLoop {

    /** One request to send: how to build it, given the client's sequence number. */
    interface RequestFactory {
        HttpRequest next(int client, long sequence);
    }

    /** What a run measured. */
    record Result(int clients, double seconds, long[] latenciesNanos, Map<Integer, Long> statuses, long errors) {

        double perSecond() {
            return latenciesNanos.length / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, index)] / 1e6;
        }

        String summary() {
            return String.format("clients=%d requests=%d rate=%.0f/s p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms statuses=%s errors=%d",
                    clients, latenciesNanos.length, perSecond(), percentileMillis(50), percentileMillis(95),
                    percentileMillis(99), percentileMillis(100), statuses, errors);
        }
    }

    private ClosedLoop() {
    }

    static HttpClient client(int clients) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(Math.max(2, Math.min(clients, 8))))
                .build();
    }

    static Result run(HttpClient http, int clients, Duration length, RequestFactory requests) throws InterruptedException {
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        List<Map<Integer, Long>> statuses = new ArrayList<>();
        long[] errors = new long[clients];
        for (int i = 0; i < clients; i++) {
            latencies[i] = new long[1024];
            statuses.add(new TreeMap<>());
        }
        CountDownLatch done = new CountDownLatch(clients);
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.execute(() -> {
                try {
                    for (long seq = 0; System.nanoTime() < end; seq++) {
                        HttpRequest request = requests.next(client, seq);
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            long took = System.nanoTime() - sent;
                            if (counts[client] == latencies[client].length) {
                                latencies[client] = Arrays.copyOf(latencies[client], counts[client] * 2);
                            }
                            latencies[client][counts[client]++] = took;
                            statuses.get(client).merge(response.statusCode(), 1L, Long::sum);
                        } catch (IOException e) {
                            errors[client]++;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        threads.shutdown();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        Map<Integer, Long> merged = new TreeMap<>();
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
            statuses.get(c).forEach((status, n) -> merged.merge(status, n, Long::sum));
        }
        Arrays.sort(all);
        return new Result(clients, seconds, all, merged, Arrays.stream(errors).sum());
    }

    static HttpRequest postJson(URI uri, String json) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

}
