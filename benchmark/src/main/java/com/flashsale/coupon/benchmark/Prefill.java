package com.flashsale.coupon.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code --prefill-claims N}: before the sale, {@code claims} gets N rows of earlier sales (sold-out
 * coupons of 100,000 holders each, {@code PREFILL_0}, {@code PREFILL_1}, ...), written with
 * set-based SQL a million rows a statement, then vacuumed and analyzed as a shop's table would be.
 * The sale then runs on a table the size of a shop that has held many sales.
 */
final class Prefill {

    /** The holders of one prefilled coupon; also the most a coupon may issue. */
    static final int HOLDERS_PER_COUPON = 100_000;

    private static final int ROWS_PER_STATEMENT = 1_000_000;

    private Prefill() {
    }

    /** The first prefilled coupon, sold out to 100,000 holders: what the benchmark reads during the sale. */
    static String soldCoupon() {
        return "PREFILL_0";
    }

    /**
     * As the server's superuser where there is one (the embedded server's has no password), with
     * the foreign-key triggers off for this session: the rows are consistent by construction (their
     * coupons go in first), and checking 5 million of them one by one took most of the time.
     */
    private static Connection prefillConnection(String jdbcUrl, String user, String password) throws SQLException {
        try {
            Connection admin = DriverManager.getConnection(jdbcUrl, "postgres", "");
            try (Statement s = admin.createStatement()) {
                s.execute("SET session_replication_role = replica");
            }
            return admin;
        } catch (SQLException e) {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }
    }

    static void fill(String jdbcUrl, String user, String password, long claims) throws SQLException {
        long started = System.nanoTime();
        int coupons = (int) ((claims + HOLDERS_PER_COUPON - 1) / HOLDERS_PER_COUPON);
        try (Connection c = prefillConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute("INSERT INTO coupons (name, amount, remaining_amount, created_at, request_id)"
                    + " SELECT 'PREFILL_' || k, " + HOLDERS_PER_COUPON + ", 0, now() - interval '1 day', 'prefill-' || k"
                    + " FROM generate_series(0, " + (coupons - 1) + ") k");
            for (long from = 0; from < claims; from += ROWS_PER_STATEMENT) {
                long to = Math.min(claims, from + ROWS_PER_STATEMENT) - 1;
                // one claim a user and coupon; claim order follows g, as ids do
                s.execute("INSERT INTO claims (user_id, coupon_name, claimed_at, request_id)"
                        + " SELECT 'user-' || (g % " + HOLDERS_PER_COUPON + "), 'PREFILL_' || (g / " + HOLDERS_PER_COUPON
                        + "), now() - interval '1 day' + g * interval '1 microsecond', 'prefill-' || g"
                        + " FROM generate_series(" + from + ", " + to + ") g");
            }
            s.execute("VACUUM (ANALYZE) claims");
            s.execute("VACUUM (ANALYZE) coupons");
        }
        // a shop's old claims were written to disk long ago: without this, the checkpointer writes
        // the prefill's pages during the sale (measured: the load tool's ceiling fell to a fifth)
        try (Connection admin = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = admin.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            System.out.println("prefill: no CHECKPOINT (" + e.getMessage() + "); the sale may pay for writing the prefill");
        }
        System.out.printf("prefill: %,d claims of %d sold-out coupons written, vacuumed and analyzed in %.1f s%n",
                claims, coupons, (System.nanoTime() - started) / 1e9);
    }
}
