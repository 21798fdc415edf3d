package com.flashsale.coupon.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    /** A run's results as the benchmark writes them, cut down to what the report reads. */
    private static Map<String, Object> run(String mode, double granted, double calibration, long... grantedPer100ms) {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("name", "flash sale (all)");
        phase.put("requests", 10);
        phase.put("seconds", 1.0);
        phase.put("per_second", 10.0);
        phase.put("p50_ms", 1.0);
        phase.put("p95_ms", 2.0);
        phase.put("p99_ms", 3.0);
        phase.put("max_ms", 4.0);
        phase.put("outcomes", Map.of("granted", 10));
        phase.put("statuses", Map.of());
        phase.put("throughput_per_100ms", grantedPer100ms);
        phase.put("granted_per_100ms", grantedPer100ms);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("granted_per_second", granted);
        ratios.put("cpu_us_per_granted_claim", Map.of("total", 98.4));
        ratios.put("sold_out_wave_over_health_ceiling", 1.57);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("mode", mode);
        report.put("calibration_ms", calibration);
        report.put("phases", List.of(phase));
        report.put("ratios", ratios);
        report.put("histograms", Map.of());
        return report;
    }

    @Test
    void theRatiosAreLabelledFiguresWithUnits_notAMapDump() {
        Map<String, String> figures = Report.figures(run("sync", 16022.4, 481, 100, 200));

        assertThat(figures).containsEntry("granted claims per second, selling phase", "16022 /s")
                .containsEntry("CPU per granted claim, total", "98.4 µs")
                .containsEntry("sold-out wave ÷ health ceiling", "157 %");
        assertThat(Report.html(run("sync", 16022.4, 481, 100, 200), "sync"))
                .contains("<td>granted claims per second, selling phase</td><td>16022 /s</td>")
                .contains("machine calibration 481 ms of CPU")
                .doesNotContain("granted_per_second=");
    }

    @Test
    void theGrantedRateOverTheSaleIsCharted_perSecond() {
        String html = Report.html(run("sync", 1500, 481, 100, 200, 50), "sync");

        assertThat(html).contains("Granted claims per second over the whole sale")
                .contains("2000/s") // the peak bin, 200 in 100 ms
                .contains("<polyline");
    }

    @Test
    void bothModesSideBySide_shareOneChartAndOneTable_eachWithItsCalibration() {
        String html = Report.comparison(List.of(run("sync", 16000, 481, 1600, 1600),
                run("event-driven", 8000, 506, 800, 800)));

        assertThat(html.split("<polyline", -1)).hasSize(3);
        assertThat(html).contains("<th>sync</th><th>event-driven</th>")
                .contains("<td>granted claims per second, selling phase</td><td>16000 /s</td><td>8000 /s</td>")
                .contains("calibration 481 ms").contains("calibration 506 ms");
    }
}
