package com.flashsale.coupon.adapter.postgres;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.CouponName;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGStatement;

/**
 * The claim batch's locking and set-based statements, run through Micronaut Data's
 * {@link JdbcOperations} on the connection of the caller's transaction. They are not repository
 * methods: the insert binds two SQL arrays and relies on {@code WITH ORDINALITY} for batch order;
 * the lock must be a statement of its own that returns before anything else is read; and the
 * holders probe must never run a cached plan (see {@link #HOLDERS_AMONG}), which a repository
 * method cannot promise.
 */
final class ClaimBatchStatements {

    /**
     * Locks the coupon's row, and, for the rest of this transaction only, takes sequential scans
     * off the planner's table. Every statement of the batch has an index made for it; a sequential
     * scan of {@code claims} is never right for one, yet the planner picks it for the holders probe
     * whenever the statistics of {@code claims} are missing or older than the table: measured on a
     * new database never analyzed (115,000 claims), the probe read the whole table for each batch
     * (17.5 ms a batch instead of 0.7), and the sale sold half as fast. {@code set_config} in the
     * lock's own select list costs no round trip. {@code NeverAnalyzedPlanTest} holds it.
     */
    static final String LOCK_COUPON = "SELECT remaining_amount, set_config('enable_seqscan', 'off', true)"
            + " FROM coupons WHERE name = ? FOR NO KEY UPDATE";
    private static final String INSERT_CLAIMS = """
            INSERT INTO claims (user_id, coupon_name, request_id)
            SELECT grant_.user_id, ?, grant_.request_id
            FROM unnest(?::varchar[], ?::varchar[]) WITH ORDINALITY AS grant_(user_id, request_id, position)
            ORDER BY grant_.position
            ON CONFLICT (user_id, coupon_name) DO NOTHING
            RETURNING user_id""";
    /**
     * Which of the batch's users hold the coupon. Two traps, measured (README, Performance: The holders probe):
     * <ul>
     * <li>Written as {@code coupon_name = ? AND user_id = ANY (?)}, PostgreSQL may take the
     *     claim-order index and read every claim of the coupon whenever the statistics of
     *     {@code claims} are older than the sale. Comparing the coupon as an expression no index
     *     serves leaves the unique key, probed once per user, as the only index for it.</li>
     * <li>A statement prepared on the server (as pgjdbc does from its fifth execution, and every
     *     repository method with it) runs a generic plan, made once and kept: made while
     *     {@code claims} was small, it is a sequential scan, still used at 100,000 rows (22 ms
     *     a batch instead of 0.2). So this statement is never prepared on the server: it is
     *     planned for each batch, with its own users, in about 0.1 ms.</li>
     * </ul>
     * {@code StaleStatisticsPlanTest} holds both.
     */
    static final String HOLDERS_AMONG =
            "SELECT user_id, request_id FROM claims WHERE user_id = ANY (?) AND coupon_name || '' = ?";
    private static final String TAKE_STOCK =
            "UPDATE coupons SET remaining_amount = remaining_amount - ? WHERE name = ?";

    private final JdbcOperations jdbc;

    ClaimBatchStatements(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the coupon's row for this transaction; its remaining stock, or null when there is no such coupon. */
    Integer lockCoupon(CouponName coupon) {
        return jdbc.prepareStatement(LOCK_COUPON, lock -> {
            lock.setString(1, coupon.value());
            try (ResultSet row = lock.executeQuery()) {
                return row.next() ? row.getInt(1) : null;
            }
        });
    }

    /** Which of {@code users} hold the coupon, with the requests that made their claims. */
    List<HolderRow> holdersAmong(CouponName coupon, String[] users) {
        return jdbc.prepareStatement(HOLDERS_AMONG, select -> {
            select.unwrap(PGStatement.class).setPrepareThreshold(0);
            Array userArray = select.getConnection().createArrayOf("varchar", users);
            try {
                select.setArray(1, userArray);
                select.setString(2, coupon.value());
                List<HolderRow> holders = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        holders.add(new HolderRow(rows.getString(1), rows.getString(2)));
                    }
                }
                return holders;
            } finally {
                free(userArray);
            }
        });
    }

    /**
     * Inserts the grants in their order (ids follow it); the users whose row was inserted. A user
     * who holds the coupon already keeps the row that says so, and is not among them.
     */
    List<String> insertClaims(CouponName coupon, List<ClaimCoupon> grants) {
        String[] users = new String[grants.size()];
        String[] requests = new String[grants.size()];
        for (int i = 0; i < grants.size(); i++) {
            users[i] = grants.get(i).userId().value();
            requests[i] = grants.get(i).requestId().value();
        }
        return jdbc.prepareStatement(INSERT_CLAIMS, insert -> {
            Array userArray = insert.getConnection().createArrayOf("varchar", users);
            Array requestArray = insert.getConnection().createArrayOf("varchar", requests);
            try {
                insert.setString(1, coupon.value());
                insert.setArray(2, userArray);
                insert.setArray(3, requestArray);
                List<String> inserted = new ArrayList<>(grants.size());
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(rows.getString(1));
                    }
                }
                return inserted;
            } finally {
                free(userArray);
                free(requestArray);
            }
        });
    }

    void takeStock(CouponName coupon, int taken) {
        jdbc.prepareStatement(TAKE_STOCK, take -> {
            take.setInt(1, taken);
            take.setString(2, coupon.value());
            return take.executeUpdate();
        });
    }

    private static void free(Array array) throws SQLException {
        array.free();
    }
}
