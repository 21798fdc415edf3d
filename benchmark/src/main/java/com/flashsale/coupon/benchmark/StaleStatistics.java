package com.flashsale.coupon.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --statement-stats}: pg_stat_statements and auto_explain on the benchmark's PostgreSQL, and
 * what each statement of the sale cost. {@code --stale-statistics} adds: a sale whose {@code claims} statistics describe a nearly empty table,
 * as in a young database or a first big sale, watched through pg_stat_statements. The server
 * loads pg_stat_statements and auto_explain (they ship with the embedded binaries, and must be
 * preloaded); the benchmark analyzes {@code claims} holding 50 rows, switches autovacuum off for
 * it, and after the sale reports what each statement on {@code claims} cost, planning included.
 */
final class StaleStatistics {

    /** The embedded server's superuser: creating the extension and reading every statement need one. */
    private static final String ADMIN = "postgres";

    /**
     * For {@code LOCAL_POSTGRES_SETTINGS}: the two extensions, planning time tracked, and the plans
     * of statements slower than 20 ms written to {@code postgres/log/} in the run's data directory.
     */
    static final String SERVER_SETTINGS = "shared_preload_libraries=pg_stat_statements,auto_explain;"
            + "pg_stat_statements.track_planning=on;auto_explain.log_min_duration=20ms;"
            + "logging_collector=on;log_directory=log";

    private StaleStatistics() {
    }

    /** Makes pg_stat_statements readable (the server must have been started with {@link #SERVER_SETTINGS}). */
    static void watch(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, ADMIN, ""); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    /** Analyzes {@code claims} while it holds 50 claims of a coupon of its own, and keeps autovacuum away. */
    static void makeStale(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, ADMIN, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO coupons (name, amount, remaining_amount, request_id)"
                    + " VALUES ('STALE_SEED', 100, 50, 'stale-seed') ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO claims (user_id, coupon_name, request_id) SELECT 'seed-' || g, 'STALE_SEED',"
                    + " 'seed-' || g FROM generate_series(1, 50) g ON CONFLICT DO NOTHING");
            s.execute("ALTER TABLE claims SET (autovacuum_enabled = false)");
            s.execute("ANALYZE claims");
        }
        System.out.println("stale statistics: claims analyzed at 50 rows, autovacuum off for it");
    }

    /** Forgets what came before the sale; the autovacuum and autoanalyze runs of each table so far. */
    static Map<String, Long> reset(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, ADMIN, ""); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
            return maintenance(s);
        }
    }

    /** Autovacuum and autoanalyze runs so far, per table: {@code claims.autovacuum} and so on. */
    private static Map<String, Long> maintenance(Statement s) throws SQLException {
        Map<String, Long> runs = new LinkedHashMap<>();
        try (ResultSet rows = s.executeQuery("SELECT relname, autovacuum_count, autoanalyze_count"
                + " FROM pg_stat_user_tables WHERE relname IN ('claims', 'coupons') ORDER BY relname")) {
            while (rows.next()) {
                runs.put(rows.getString(1) + ".autovacuum", rows.getLong(2));
                runs.put(rows.getString(1) + ".autoanalyze", rows.getLong(3));
            }
        }
        return runs;
    }

    /**
     * Prints and returns, per statement on claims, its calls and mean planning and execution time,
     * and the autovacuum and autoanalyze runs since {@code before} (from {@link #reset}).
     */
    static Map<String, Object> report(String jdbcUrl, Map<String, Long> before) throws SQLException {
        Map<String, Object> report = new LinkedHashMap<>();
        List<Map<String, Object>> statements = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, ADMIN, ""); Statement s = c.createStatement()) {
            Map<String, Long> during = new LinkedHashMap<>();
            maintenance(s).forEach((run, count) -> during.put(run, count - before.getOrDefault(run, 0L)));
            report.put("maintenance_runs_during_the_sale", during);
            System.out.println("autovacuum and autoanalyze runs during the sale: " + during);
            try (ResultSet table = s.executeQuery("SELECT c.reltuples::bigint, t.n_live_tup, t.last_autoanalyze IS NULL"
                    + " FROM pg_class c JOIN pg_stat_user_tables t ON t.relid = c.oid WHERE c.relname = 'claims'")) {
                table.next();
                report.put("claims_rows_in_statistics", table.getLong(1));
                report.put("claims_rows_live", table.getLong(2));
                report.put("never_autoanalyzed", table.getBoolean(3));
                System.out.printf("claims: %d rows in its statistics, %d live, autoanalyzed during the run: %s%n",
                        table.getLong(1), table.getLong(2), !table.getBoolean(3));
            }
            try (ResultSet rows = s.executeQuery("SELECT query, calls, mean_plan_time, mean_exec_time"
                    + " FROM pg_stat_statements WHERE (query ILIKE '%claims%' OR query ILIKE '%coupons%')"
                    + " AND query NOT ILIKE '%pg_stat%'"
                    + " AND calls >= 10 ORDER BY total_exec_time + total_plan_time DESC LIMIT 8")) {
                while (rows.next()) {
                    String query = rows.getString(1).replaceAll("\\s+", " ");
                    double plan = rows.getDouble(3);
                    double exec = rows.getDouble(4);
                    System.out.printf("  %6d calls  plan %.3f + exec %.3f = %.3f ms  %s%n", rows.getLong(2), plan, exec,
                            plan + exec, query.length() > 110 ? query.substring(0, 110) + "…" : query);
                    Map<String, Object> statement = new LinkedHashMap<>();
                    statement.put("query", query);
                    statement.put("calls", rows.getLong(2));
                    statement.put("mean_plan_ms", plan);
                    statement.put("mean_exec_ms", exec);
                    statements.add(statement);
                    if (query.contains("user_id = ANY")) {
                        report.put("holders_probe_mean_ms", plan + exec);
                    }
                }
            }
        }
        report.put("statements", statements);
        System.out.printf("holders probe, planning included: %s ms on average%n",
                report.getOrDefault("holders_probe_mean_ms", "(not seen)"));
        return report;
    }
}
