package com.flashsale.coupon.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * One client that reads a coupon four times a second (or as often as it answers, if slower) on a
 * thread of its own, while another phase runs: how fast a sold coupon with its 100,000 holders is
 * shown while the next sale sells. Paced, so that it measures the read without becoming a load of
 * its own (each answer is about 1.5 MB of JSON).
 */
final class SoldCouponReader {

    private static final long PERIOD_MILLIS = 250;

    private final Thread thread;
    private final long started = System.nanoTime();
    private volatile boolean stopped;
    private long[] latencies = new long[1024];
    private long[] starts = new long[1024];
    private short[] statuses = new short[1024];
    private int size;
    private long errors;

    private SoldCouponReader(URI base, String coupon) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(base.resolve("/api/coupons/" + coupon))
                .timeout(Duration.ofSeconds(30)).build();
        thread = new Thread(() -> {
            while (!stopped) {
                long start = System.nanoTime();
                try {
                    HttpResponse<byte[]> answer = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
                    long latency = System.nanoTime() - start;
                    record(start, latency, answer.statusCode());
                    Thread.sleep(Math.max(0, PERIOD_MILLIS - latency / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    errors++;
                }
            }
        }, "sold-coupon-reader");
        thread.setDaemon(true);
    }

    static SoldCouponReader start(URI base, String coupon) {
        SoldCouponReader reader = new SoldCouponReader(base, coupon);
        reader.thread.start();
        return reader;
    }

    private void record(long start, long latency, int status) {
        if (size == latencies.length) {
            latencies = Arrays.copyOf(latencies, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
            statuses = Arrays.copyOf(statuses, size * 2);
        }
        starts[size] = start - started;
        latencies[size] = latency;
        statuses[size] = (short) status;
        size++;
    }

    /** Stops after the GET in flight and returns what the reads measured. */
    Phase stop() throws InterruptedException {
        stopped = true;
        thread.join(60_000);
        return new Phase("GET of a sold coupon", latencies, starts, statuses, null, size, errors,
                (System.nanoTime() - started) / 1e9);
    }
}
