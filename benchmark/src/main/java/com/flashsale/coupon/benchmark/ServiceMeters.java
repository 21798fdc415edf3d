package com.flashsale.coupon.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's own figures, read from its Prometheus endpoint: what the benchmark cannot see from
 * outside, such as how many claims each claim record carried in event-driven mode.
 */
final class ServiceMeters {

    private final Map<String, Double> samples;

    private ServiceMeters(Map<String, Double> samples) {
        this.samples = samples;
    }

    static ServiceMeters read(HttpClient http, URI base) throws IOException, InterruptedException {
        HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(base.resolve("/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> samples = new LinkedHashMap<>();
        if (scraped.statusCode() == 200) {
            for (String line : scraped.body().split("\n")) {
                int space = line.lastIndexOf(' ');
                if (line.isEmpty() || line.startsWith("#") || space < 0) {
                    continue;
                }
                try {
                    samples.merge(name(line), Double.parseDouble(line.substring(space + 1)), Double::sum);
                } catch (NumberFormatException ignored) {
                    // a value Prometheus writes as text (NaN is parsed; nothing else is expected)
                }
            }
        }
        return new ServiceMeters(samples);
    }

    /** A sample's name without its labels: the benchmark adds up the series of one meter. */
    private static String name(String line) {
        int brace = line.indexOf('{');
        return brace >= 0 ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
    }

    double value(String name) {
        return samples.getOrDefault(name, 0.0);
    }

    /**
     * The claims each claim request record carried since {@code before}, or an empty map in sync
     * mode, where nothing is published.
     */
    Map<String, Double> claimsPerRecordSince(ServiceMeters before) {
        String meter = "coupon_kafka_claims_per_record";
        double records = value(meter + "_count") - before.value(meter + "_count");
        if (records <= 0) {
            return Map.of();
        }
        double claims = value(meter + "_sum") - before.value(meter + "_sum");
        return Map.of("records", records, "claims", claims, "mean", claims / records);
    }
}
