package com.flashsale.coupon.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A self-contained HTML report: labelled figures, the granted rate over the sale, phases, latency
 * histograms and throughput over time, as inline SVG; and a comparison of two runs side by side.
 */
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

    /**
     * Renders a report again from its results file, {@code Report results.json [report.html]}, or
     * compares two, {@code Report --compare sync.json event-driven.json [comparison.html]}.
     */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws java.io.IOException {
        ObjectMapper mapper = new ObjectMapper();
        if (args.length >= 3 && args[0].equals("--compare")) {
            Path html = args.length > 3 ? Path.of(args[3]) : Path.of(args[1]).resolveSibling(COMPARISON);
            Files.writeString(html, comparison(List.of(mapper.readValue(Path.of(args[1]).toFile(), Map.class),
                    mapper.readValue(Path.of(args[2]).toFile(), Map.class))));
            System.out.println("comparison: " + html);
            return;
        }
        Path json = Path.of(args[0]);
        Map<String, Object> report = mapper.readValue(json.toFile(), Map.class);
        Path html = args.length > 1 ? Path.of(args[1])
                : json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", ".html"));
        Files.writeString(html, html(report, String.valueOf(report.get("mode"))));
        System.out.println("report: " + html);
    }

    /** The file a comparison of both modes is written to, beside their reports. */
    static final String COMPARISON = "flash-sale-comparison.html";

    @SuppressWarnings("unchecked")
    static String html(Map<String, Object> report, String mode) {
        StringBuilder html = head("Flash-sale benchmark (" + mode + ")");
        html.append("<h1>Flash-sale benchmark: ").append(mode).append(" mode</h1>");
        html.append("<p>stock ").append(report.get("stock")).append(", users ").append(report.get("users"))
                .append(", concurrency ").append(report.get("concurrency")).append(", PostgreSQL ")
                .append(report.get("postgres")).append("<br>").append(calibration(report)).append("</p>");
        html.append("<h2>Figures</h2>").append(table(List.of(mode), List.of(figures(report))));
        html.append("<p><b>Verification:</b> ").append(report.get("verification")).append("</p>");
        html.append("<h2>Granted claims per second over the whole sale (100 ms bins)</h2>")
                .append(chart(List.of(new Series(mode, COLOURS[0], grantedPerSecond(report)))));
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
                    .append(chart(List.of(new Series(String.valueOf(phase.get("name")), COLOURS[0],
                            perSecond(phase.get("throughput_per_100ms"))))));
        }
        return html.append("</body></html>").toString();
    }

    /**
     * Both modes side by side: their granted rates over the sale in one chart, and their figures in
     * one table. Each run keeps its own calibration figure, since only runs taken back to back on
     * one machine compare.
     */
    static String comparison(List<Map<String, Object>> reports) {
        StringBuilder html = head("Flash-sale benchmark: modes compared");
        html.append("<h1>Flash-sale benchmark: modes compared</h1><p>");
        List<String> modes = new ArrayList<>();
        List<Series> series = new ArrayList<>();
        List<Map<String, String>> figures = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            Map<String, Object> report = reports.get(i);
            String mode = String.valueOf(report.get("mode"));
            modes.add(mode);
            series.add(new Series(mode, COLOURS[i % COLOURS.length], grantedPerSecond(report)));
            figures.add(figures(report));
            html.append(mode).append(": stock ").append(report.get("stock")).append(", concurrency ")
                    .append(report.get("concurrency")).append(", ").append(calibration(report)).append("<br>");
        }
        html.append("</p><h2>Granted claims per second over the whole sale (100 ms bins)</h2>").append(chart(series));
        html.append("<h2>Figures</h2>").append(table(modes, figures));
        return html.append("</body></html>").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!doctype html><html><head><meta charset=utf-8><title>").append(title)
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#eee}"
                        + "td:first-child{text-align:left}h2{margin-top:1.5em}.bar{fill:#4a7bd0}</style></head><body>");
    }

    private static String calibration(Map<String, Object> report) {
        Object ms = report.get("calibration_ms");
        return ms instanceof Number n
                ? String.format(Locale.ROOT, "machine calibration %.0f ms of CPU (lower is faster)", n.doubleValue())
                : "machine calibration not recorded";
    }

    /** The run's ratios as labelled figures with their units, in a fixed order; a figure a run lacks is left out. */
    @SuppressWarnings("unchecked")
    static Map<String, String> figures(Map<String, Object> report) {
        Map<String, Object> ratios = (Map<String, Object>) report.getOrDefault("ratios", Map.of());
        Map<String, String> figures = new LinkedHashMap<>();
        number(ratios.get("granted_per_second"))
                .ifPresent(v -> figures.put("granted claims per second, selling phase", format(v, "%.0f /s")));
        if (ratios.get("selling_rate_held") instanceof Map<?, ?> held) {
            String window = format(number(held.get("window_seconds")).orElse(Double.NaN), "%.1f s");
            number(held.get("first")).ifPresent(v -> figures.put("granted per second, first " + window, format(v, "%.0f /s")));
            number(held.get("last")).ifPresent(v -> figures.put("granted per second, last " + window, format(v, "%.0f /s")));
            number(held.get("last_over_first")).ifPresent(v -> figures.put("last ÷ first", format(100 * v, "%.0f %%")));
        }
        perProcess(figures, "CPU per granted claim", ratios.get("cpu_us_per_granted_claim"));
        perProcess(figures, "service CPU per granted claim, thread", ratios.get("service_cpu_us_per_granted_claim_by_thread"));
        perProcess(figures, "CPU per sold-out claim of the wave", ratios.get("cpu_us_per_sold_out_wave_claim"));
        number(ratios.get("selling_rate_over_baseline"))
                .ifPresent(v -> figures.put("selling rate ÷ one-transaction-per-claim baseline", format(v, "%.1f ×")));
        number(ratios.get("sold_out_wave_over_health_ceiling"))
                .ifPresent(v -> figures.put("sold-out wave ÷ health ceiling", format(100 * v, "%.0f %%")));
        if (report.get("wrk_cross_check") instanceof Map<?, ?> wrk) {
            number(wrk.get("wrk_over_own")).ifPresent(v -> figures.put("wrk ÷ the own tool, granted per second",
                    format(100 * v, "%.0f %%")));
        }
        return figures;
    }

    private static void perProcess(Map<String, String> figures, String label, Object values) {
        if (values instanceof Map<?, ?> map) {
            map.forEach((process, value) -> number(value)
                    .ifPresent(v -> figures.put(label + ", " + process, format(v, "%.1f µs"))));
        }
    }

    private static java.util.Optional<Double> number(Object value) {
        return value instanceof Number n ? java.util.Optional.of(n.doubleValue()) : java.util.Optional.empty();
    }

    private static String format(double value, String pattern) {
        return String.format(Locale.ROOT, pattern, value);
    }

    /** One row per figure that any column has, one column per run. */
    private static String table(List<String> columns, List<Map<String, String>> figures) {
        Set<String> labels = new LinkedHashSet<>();
        figures.forEach(f -> labels.addAll(f.keySet()));
        StringBuilder table = new StringBuilder("<table><tr><th>figure</th>");
        columns.forEach(c -> table.append("<th>").append(c).append("</th>"));
        table.append("</tr>");
        for (String label : labels) {
            table.append("<tr><td>").append(label).append("</td>");
            figures.forEach(f -> table.append("<td>").append(f.getOrDefault(label, "")).append("</td>"));
            table.append("</tr>");
        }
        return table.append("</table>").toString();
    }

    /** The granted claims per second of the whole sale, per 100 ms bin; empty for a report without them. */
    @SuppressWarnings("unchecked")
    private static double[] grantedPerSecond(Map<String, Object> report) {
        for (Map<String, Object> phase : (List<Map<String, Object>>) report.getOrDefault("phases", List.of())) {
            if ("flash sale (all)".equals(phase.get("name")) && phase.get("granted_per_100ms") != null) {
                return perSecond(phase.get("granted_per_100ms"));
            }
        }
        return new double[0];
    }

    private static double[] perSecond(Object perHundredMillis) {
        long[] bins = perHundredMillis instanceof long[] array ? array
                : ((List<?>) perHundredMillis).stream().mapToLong(n -> ((Number) n).longValue()).toArray();
        return java.util.Arrays.stream(bins).mapToDouble(bin -> bin * 10.0).toArray();
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

    /** One line of a chart: a run's rate per 100 ms bin. */
    record Series(String name, String colour, double[] perSecond) {
    }

    private static final String[] COLOURS = {"#d04a4a", "#4a7bd0", "#3a9a5a"};

    /** Lines over time on shared axes, 0.1 s per point, with the peak rate, the length and a legend. */
    private static String chart(List<Series> series) {
        double max = 1;
        int longest = 1;
        for (Series line : series) {
            for (double value : line.perSecond()) {
                max = Math.max(max, value);
            }
            longest = Math.max(longest, line.perSecond().length);
        }
        int width = 1000;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width
                + "\" height=\"" + (215 + 15 * series.size()) + "\">");
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < line.perSecond().length; i++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", 50 + (double) i * (width - 60) / Math.max(1, longest - 1),
                        190 - 170.0 * line.perSecond()[i] / max));
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(line.colour())
                    .append("\" points=\"").append(points).append("\"/>");
            svg.append(String.format(Locale.ROOT, "<text x=\"50\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>",
                    225 + 15 * s, line.colour(), line.name()));
        }
        return svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"25\" font-size=\"10\">%.0f/s</text>"
                + "<text x=\"0\" y=\"195\" font-size=\"10\">0/s</text>"
                + "<text x=\"%d\" y=\"205\" font-size=\"10\">%.1f s</text></svg>", max, width - 60, longest / 10.0))
                .toString();
    }
}
