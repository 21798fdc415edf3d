package com.flashsale.coupon.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML report: tables, a latency histogram and throughput over time, as inline SVG. */
final class Report {

    /** Log-spaced latency buckets, in ms. */
    private static final double[] BUCKETS = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};

    private Report() {
    }

    static Map<String, Long> histogram(double[] latenciesMillis) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int b = 0; b <= BUCKETS.length; b++) {
            counts.put(label(b), 0L);
        }
        for (double latency : latenciesMillis) {
            int b = 0;
            while (b < BUCKETS.length && latency > BUCKETS[b]) {
                b++;
            }
            counts.merge(label(b), 1L, Long::sum);
        }
        return counts;
    }

    private static String label(int bucket) {
        return bucket < BUCKETS.length ? "≤" + fmt(BUCKETS[bucket]) + " ms" : ">" + fmt(BUCKETS[BUCKETS.length - 1]) + " ms";
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Renders the HTML report again from a results file: {@code Report results.json [report.html]}. */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path json = java.nio.file.Path.of(args[0]);
        Map<String, Object> report = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toFile(), Map.class);
        java.nio.file.Path html = args.length > 1 ? java.nio.file.Path.of(args[1])
                : json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", ".html"));
        java.nio.file.Files.writeString(html, html(report, String.valueOf(report.get("mode"))));
        System.out.println("report: " + html);
    }

    @SuppressWarnings("unchecked")
    static String html(Map<String, Object> report, String mode) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=utf-8><title>Flash-sale benchmark (").append(mode)
                .append(")</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#eee}"
                        + "h2{margin-top:1.5em}.bar{fill:#4a7bd0}.line{fill:none;stroke:#d04a4a;stroke-width:1.5}</style></head><body>");
        html.append("<h1>Flash-sale benchmark: ").append(mode).append(" mode</h1>");
        html.append("<p>stock ").append(report.get("stock")).append(", users ").append(report.get("users"))
                .append(", concurrency ").append(report.get("concurrency")).append(", PostgreSQL ")
                .append(report.get("postgres")).append(", machine ").append(report.get("machine")).append("</p>");
        html.append("<p><b>Ratios:</b> ").append(report.get("ratios")).append("<br><b>Verification:</b> ")
                .append(report.get("verification")).append("</p>");
        html.append("<h2>Phases</h2><table><tr><th>phase</th><th>requests</th><th>seconds</th><th>per second</th>"
                + "<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>outcomes</th></tr>");
        List<Map<String, Object>> phases = (List<Map<String, Object>>) report.get("phases");
        for (Map<String, Object> phase : phases) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.0f</td><td>%.2f</td>"
                            + "<td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%s</td></tr>", phase.get("name"),
                    phase.get("requests"), phase.get("seconds"), phase.get("per_second"), phase.get("p50_ms"),
                    phase.get("p95_ms"), phase.get("p99_ms"), phase.get("max_ms"),
                    ((Map<?, ?>) phase.get("outcomes")).isEmpty() ? phase.get("statuses") : phase.get("outcomes")));
        }
        html.append("</table>");
        Map<String, Map<String, Number>> histograms = (Map<String, Map<String, Number>>) report.get("histograms");
        for (var entry : histograms.entrySet()) {
            html.append("<h2>Latency histogram: ").append(entry.getKey()).append("</h2>").append(bars(entry.getValue()));
        }
        for (Map<String, Object> phase : phases) {
            html.append("<h2>Throughput over time: ").append(phase.get("name")).append(" (requests per second, 100 ms bins)</h2>")
                    .append(line(phase.get("throughput_per_100ms")));
        }
        return html.append("</body></html>").toString();
    }

    private static String bars(Map<String, ? extends Number> counts) {
        long max = counts.values().stream().mapToLong(Number::longValue).max().orElse(1);
        int width = 60;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
                + (counts.size() * width + 20) + "\" height=\"240\">");
        int i = 0;
        for (var entry : counts.entrySet()) {
            long count = entry.getValue().longValue();
            double h = max == 0 ? 0 : 180.0 * count / max;
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\"/>"
                            + "<text x=\"%d\" y=\"215\" font-size=\"10\">%s</text>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\">%d</text>",
                    10 + i * width, 200 - h, width - 6, h, 10 + i * width, entry.getKey(), 10 + i * width,
                    195 - h, count));
            i++;
        }
        return svg.append("</svg>").toString();
    }

    private static String line(Object throughput) {
        long[] bins = throughput instanceof long[] array ? array
                : ((List<?>) throughput).stream().mapToLong(n -> ((Number) n).longValue()).toArray();
        long max = 1;
        for (long bin : bins) {
            max = Math.max(max, bin);
        }
        int width = 1000;
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < bins.length; i++) {
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", 40 + (double) i * (width - 50) / Math.max(1, bins.length - 1),
                    190 - 170.0 * bins[i] / max));
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"210\">"
                + "<polyline class=\"line\" points=\"" + points + "\"/>"
                + "<text x=\"0\" y=\"25\" font-size=\"10\">" + (max * 10) + "/s</text>"
                + "<text x=\"0\" y=\"195\" font-size=\"10\">0</text>"
                + "<text x=\"" + (width - 60) + "\" y=\"205\" font-size=\"10\">" + (bins.length / 10.0) + " s</text></svg>";
    }
}
