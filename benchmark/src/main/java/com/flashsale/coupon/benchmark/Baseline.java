package com.flashsale.coupon.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The classic design, for comparison: one transaction per claim, straight over JDBC, on the same
 * PostgreSQL, in tables of its own, on a coupon whose stock does not run out.
 *
 * <pre>
 * BEGIN;
 * INSERT INTO claims(user_id, coupon_name) VALUES ($1, $2) ON CONFLICT (user_id, coupon_name) DO NOTHING;
 * -- if a row was inserted:
 * UPDATE coupons SET remaining_amount = remaining_amount - 1 WHERE name = $2 AND remaining_amount > 0;
 * -- if no row was updated: ROLLBACK (sold out), else COMMIT
 * </pre>
 */
final class Baseline {

    private Baseline() {
    }

    /** Connections the service, the sold-coupon reader and the checks keep besides the baseline's. */
    private static final int OTHERS = 60;
    /** Requests each client can record; past it, a client stops (a 20 s baseline never gets there). */
    private static final int SAMPLES_PER_CLIENT = 200_000;

    /**
     * How many clients the baseline may run for {@code wanted} connections: as many, unless
     * PostgreSQL's {@code max_connections} (less the others' connections) allows fewer. Each client
     * is a connection of its own, and a thread with room for {@link #SAMPLES_PER_CLIENT} samples.
     */
    static int clients(String jdbcUrl, String user, String password, int wanted) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = connection.createStatement();
             java.sql.ResultSet max = statement.executeQuery("SHOW max_connections")) {
            max.next();
            return Math.max(1, Math.min(wanted, Integer.parseInt(max.getString(1)) - OTHERS));
        }
    }

    static Phase run(String jdbcUrl, String user, String password, int clients, double seconds) throws Exception {
        try (Connection setup = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = setup.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS baseline_claims");
            statement.execute("DROP TABLE IF EXISTS baseline_coupons");
            statement.execute("CREATE TABLE baseline_coupons (name varchar(64) PRIMARY KEY,"
                    + " remaining_amount bigint NOT NULL CHECK (remaining_amount >= 0))");
            statement.execute("CREATE TABLE baseline_claims (id bigserial PRIMARY KEY, user_id varchar(64) NOT NULL,"
                    + " coupon_name varchar(64) NOT NULL REFERENCES baseline_coupons (name),"
                    + " claimed_at timestamptz NOT NULL DEFAULT now(), UNIQUE (user_id, coupon_name))");
            statement.execute("INSERT INTO baseline_coupons VALUES ('BASELINE', 2000000000)");
        }
        long origin = System.nanoTime();
        long end = origin + (long) (seconds * 1e9);
        List<long[]> starts = new ArrayList<>();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[clients];
        long[] errors = new long[clients];
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            // sized for what one client can do in the phase: at most a request a millisecond
            int room = (int) Math.min(SAMPLES_PER_CLIENT, Math.max(1_000, seconds * 1_000));
            long[] s = new long[room];
            long[] l = new long[room];
            starts.add(s);
            latencies.add(l);
            int client = c;
            Thread thread = new Thread(() -> {
                try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                     PreparedStatement insert = connection.prepareStatement("INSERT INTO baseline_claims"
                             + " (user_id, coupon_name) VALUES (?, ?) ON CONFLICT (user_id, coupon_name) DO NOTHING");
                     PreparedStatement take = connection.prepareStatement("UPDATE baseline_coupons"
                             + " SET remaining_amount = remaining_amount - 1 WHERE name = ? AND remaining_amount > 0")) {
                    connection.setAutoCommit(false);
                    for (long seq = 0; System.nanoTime() < end && counts[client] < s.length; seq++) {
                        long started = System.nanoTime();
                        try {
                            insert.setString(1, "b" + client + "-" + seq);
                            insert.setString(2, "BASELINE");
                            if (insert.executeUpdate() == 1) {
                                take.setString(1, "BASELINE");
                                if (take.executeUpdate() == 0) {
                                    connection.rollback();
                                } else {
                                    connection.commit();
                                }
                            } else {
                                connection.rollback();
                            }
                            s[counts[client]] = started - origin;
                            l[counts[client]] = System.nanoTime() - started;
                            counts[client]++;
                        } catch (SQLException e) {
                            errors[client]++;
                            connection.rollback();
                        }
                    }
                } catch (SQLException e) {
                    errors[client]++;
                } finally {
                    done.countDown();
                }
            }, "baseline-" + c);
            thread.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - origin) / 1e9;
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        long[] allStarts = new long[total];
        long[] allLatencies = new long[total];
        int at = 0;
        long errorCount = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(starts.get(c), 0, allStarts, at, counts[c]);
            System.arraycopy(latencies.get(c), 0, allLatencies, at, counts[c]);
            at += counts[c];
            errorCount += errors[c];
        }
        return new Phase("baseline (JDBC)", allLatencies, allStarts, null, null, total, errorCount, elapsed);
    }
}
