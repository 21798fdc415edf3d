package com.flashsale.coupon.benchmark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one phase measured: rate, latency percentiles, outcome counts, and the raw timeline. */
final class Phase {

    static final byte OTHER = 0;
    static final byte GRANTED = 1;
    static final byte SOLD_OUT = 2;
    static final byte ALREADY_CLAIMED = 3;
    static final byte NOT_FOUND = 4;
    static final String[] OUTCOME_NAMES = {"other", "granted", "sold_out", "already_claimed", "coupon_not_found"};

    final String name;
    final int requests;
    final double seconds;
    final double perSecond;
    final double p50;
    final double p95;
    final double p99;
    final double max;
    final Map<String, Long> outcomes = new LinkedHashMap<>();
    final Map<String, Long> statuses = new LinkedHashMap<>();
    final long errors;
    /** Requests completed per 100 ms since the phase began. */
    final long[] throughput;
    /** Granted claims answered per 100 ms since the phase began (all zeros where outcomes are not known). */
    final long[] granted;
    /** Latencies in ms, sorted, for the histogram. */
    final double[] latenciesMillis;

    Phase(String name, NioLoad.Samples samples, double seconds) {
        this(name, samples.latencyNanos, samples.startNanos, samples.status, samples.outcome, samples.size,
                samples.errors, seconds);
    }

    Phase(String name, long[] latencyNanos, long[] startNanos, short[] status, byte[] outcome, int size, long errors,
          double seconds) {
        this.name = name;
        this.requests = size;
        this.seconds = seconds;
        this.perSecond = size / seconds;
        this.errors = errors;
        long[] sorted = Arrays.copyOf(latencyNanos, size);
        Arrays.sort(sorted);
        this.p50 = percentile(sorted, 50);
        this.p95 = percentile(sorted, 95);
        this.p99 = percentile(sorted, 99);
        this.max = size == 0 ? Double.NaN : sorted[size - 1] / 1e6;
        this.latenciesMillis = Arrays.stream(sorted).mapToDouble(n -> n / 1e6).toArray();
        long[] bins = new long[(int) Math.ceil(seconds * 10) + 1];
        long[] grantedBins = new long[bins.length];
        for (int i = 0; i < size; i++) {
            int bin = (int) Math.min(bins.length - 1, (startNanos[i] + latencyNanos[i]) / 100_000_000L);
            bins[bin]++;
            if (outcome != null) {
                outcomes.merge(OUTCOME_NAMES[outcome[i]], 1L, Long::sum);
                if (outcome[i] == GRANTED) {
                    grantedBins[bin]++;
                }
            }
            if (status != null) {
                statuses.merge(Integer.toString(status[i]), 1L, Long::sum);
            }
        }
        this.throughput = bins;
        this.granted = grantedBins;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    String line() {
        return String.format("%-22s %9d req %8.1f s %10.0f /s   p50 %7.2f  p95 %7.2f  p99 %7.2f  max %8.2f ms   %s%s",
                name, requests, seconds, perSecond, p50, p95, p99, max, outcomes.isEmpty() ? statuses : outcomes,
                errors > 0 ? "  errors " + errors : "");
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("requests", requests);
        json.put("seconds", seconds);
        json.put("per_second", perSecond);
        json.put("p50_ms", p50);
        json.put("p95_ms", p95);
        json.put("p99_ms", p99);
        json.put("max_ms", max);
        json.put("outcomes", outcomes);
        json.put("statuses", statuses);
        json.put("errors", errors);
        json.put("throughput_per_100ms", throughput);
        json.put("granted_per_100ms", granted);
        return json;
    }
}
