package com.flashsale.coupon.benchmark;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --wrk true}: a second sale of the same stock, driven by {@code wrk} with a Lua script
 * (every request a new user), to cross-check the benchmark's own load tool. Both sales are
 * measured the same way, from the database: granted claims over the span of their
 * {@code claimed_at}, the start times of the first and the last batch that granted. wrk cannot
 * stop when the stock is gone, so it runs for a fixed time and the rest of its claims meet a
 * sold-out coupon.
 */
final class WrkCrossCheck {

    private static final String SCRIPT = """
            -- every request a new user: wrk-<thread>-<n>; the coupon comes as the script's argument
            local threads = 0
            function setup(thread)
              thread:set("id", threads)
              threads = threads + 1
            end
            function init(args)
              coupon = args[1]
              n = 0
            end
            function request()
              n = n + 1
              return wrk.format("POST", "/api/coupons/claim", {["Content-Type"] = "application/json"},
                '{"user_id":"wrk-' .. id .. '-' .. n .. '","coupon_name":"' .. coupon .. '"}')
            end
            """;

    private WrkCrossCheck() {
    }

    static boolean installed() {
        try {
            Process probe = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            probe.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs wrk on a fresh coupon of {@code stock} for {@code seconds}; returns its figures and wrk's own summary. */
    static Map<String, Object> run(URI base, String jdbcUrl, String user, String password, String coupon,
                                   int concurrency, int seconds, Path out) throws IOException, InterruptedException,
            SQLException {
        Path script = out.resolve("wrk-claim.lua");
        Files.writeString(script, SCRIPT);
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + concurrency, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), base.resolve("/").toString(), "--", coupon)
                .redirectErrorStream(true).start();
        // wrk's own CPU, read until it exits: /proc forgets a process once it is gone
        long[] cpuMicros = new long[1];
        Thread sampler = new Thread(() -> {
            while (wrk.isAlive()) {
                cpuMicros[0] = Math.max(cpuMicros[0], ProcessCpu.micros(wrk.pid()));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "wrk-cpu");
        sampler.setDaemon(true);
        sampler.start();
        String summary = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed:\n" + summary);
        }
        sampler.join();
        Map<String, Object> result = new LinkedHashMap<>(grantedRate(jdbcUrl, user, password, coupon));
        result.put("wrk_cpu_seconds", cpuMicros[0] / 1e6);
        result.put("wrk_summary", summary);
        return result;
    }

    /** Granted claims of a coupon, and per second over the span of their {@code claimed_at}. */
    static Map<String, Object> grantedRate(String jdbcUrl, String user, String password, String coupon)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement s = c.prepareStatement("SELECT count(*), extract(epoch FROM max(claimed_at)"
                     + " - min(claimed_at)) FROM claims WHERE coupon_name = ?")) {
            s.setString(1, coupon);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                long granted = row.getLong(1);
                double span = row.getDouble(2);
                Map<String, Object> rate = new LinkedHashMap<>();
                rate.put("granted", granted);
                rate.put("span_seconds", span);
                rate.put("granted_per_second", span > 0 ? granted / span : Double.NaN);
                return rate;
            }
        }
    }
}
