package com.flashsale.coupon.adapter.postgres;

import com.flashsale.coupon.domain.ClaimBatchRule;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import com.flashsale.coupon.domain.port.out.Coupons;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGStatement;

/**
 * The coupon store on PostgreSQL. Every call is one transaction; a claim batch takes the coupon's
 * row lock first, so overlapping batches of one coupon queue on it instead of deadlocking on the
 * unique index, and decides the batch with {@link ClaimBatchRule}.
 */
@Singleton
public final class PostgresCoupons implements Coupons {

    private static final String INSERT_COUPON = """
            INSERT INTO coupons (name, amount, remaining_amount, request_id)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (name) DO NOTHING""";
    private static final String COUPON_CREATOR = "SELECT request_id FROM coupons WHERE name = ?";
    private static final String LOCK_COUPON =
            "SELECT remaining_amount FROM coupons WHERE name = ? FOR NO KEY UPDATE";
    private static final String HOLDERS_AMONG = """
            SELECT user_id, request_id FROM claims
            WHERE coupon_name = ? AND user_id = ANY (?)""";
    private static final String INSERT_CLAIMS = """
            INSERT INTO claims (user_id, coupon_name, request_id)
            SELECT grant_.user_id, ?, grant_.request_id
            FROM unnest(?::varchar[], ?::varchar[]) WITH ORDINALITY AS grant_(user_id, request_id, position)
            ORDER BY grant_.position
            ON CONFLICT (user_id, coupon_name) DO NOTHING""";
    private static final String TAKE_STOCK =
            "UPDATE coupons SET remaining_amount = remaining_amount - ? WHERE name = ?";
    private static final String READ_COUPON =
            "SELECT amount, remaining_amount FROM coupons WHERE name = ?";
    private static final String ALL_HOLDERS = "SELECT user_id, request_id FROM claims WHERE coupon_name = ?";
    private static final String READ_HOLDERS =
            "SELECT user_id FROM claims WHERE coupon_name = ? ORDER BY claimed_at, id";

    private final DataSource dataSource;

    public PostgresCoupons(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public CreateOutcome add(CreateCoupon command) {
        return inTransaction("create " + command.name(), false, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_COUPON)) {
                insert.setString(1, command.name().value());
                insert.setInt(2, command.amount().value());
                insert.setInt(3, command.amount().value());
                insert.setString(4, command.requestId().value());
                if (insert.executeUpdate() == 1) {
                    return new CreateOutcome.Created(Coupon.fresh(command.name(), command.amount()));
                }
            }
            try (PreparedStatement creator = connection.prepareStatement(COUPON_CREATOR)) {
                creator.setString(1, command.name().value());
                try (ResultSet row = creator.executeQuery()) {
                    // the row exists: ON CONFLICT saw it, and coupons are never deleted
                    row.next();
                    if (!command.requestId().value().equals(row.getString(1))) {
                        return new CreateOutcome.AlreadyExists(command.name());
                    }
                }
            }
            return new CreateOutcome.Created(read(connection, command.name()).orElseThrow());
        });
    }

    @Override
    public List<ClaimOutcome> claimAll(CouponName coupon, List<ClaimCoupon> claims) {
        for (ClaimCoupon claim : claims) {
            if (!claim.couponName().equals(coupon)) {
                throw new IllegalArgumentException("claim for " + claim.couponName() + " in a batch of " + coupon);
            }
        }
        if (claims.isEmpty()) {
            return List.of();
        }
        return inTransaction("claim " + coupon, false, connection -> {
            Integer remaining = lockCoupon(connection, coupon);
            if (remaining == null) {
                return ClaimBatchRule.notFound(claims);
            }
            ClaimBatchRule.Decision decision =
                    ClaimBatchRule.decide(remaining, holdersAmong(connection, coupon, claims), claims);
            List<ClaimCoupon> grants = decision.grants();
            if (!grants.isEmpty()) {
                int inserted = insertClaims(connection, coupon, grants);
                if (inserted != grants.size()) {
                    // cannot happen while every claim takes the row lock first; refuse to guess
                    throw new IllegalStateException("claims of " + coupon + " were written without its lock: "
                            + inserted + " of " + grants.size() + " inserted");
                }
                try (PreparedStatement take = connection.prepareStatement(TAKE_STOCK)) {
                    take.setInt(1, inserted);
                    take.setString(2, coupon.value());
                    take.executeUpdate();
                }
            }
            return decision.outcomes();
        });
    }

    @Override
    public Optional<Coupon> find(CouponName name) {
        return inTransaction("read " + name, true, connection -> read(connection, name));
    }

    @Override
    public Map<UserId, RequestId> holders(CouponName coupon) {
        return inTransaction("read holders of " + coupon, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(ALL_HOLDERS)) {
                select.setFetchSize(10_000);
                select.setString(1, coupon.value());
                return holders(select);
            }
        });
    }

    private static Integer lockCoupon(Connection connection, CouponName coupon) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_COUPON)) {
            lock.setString(1, coupon.value());
            try (ResultSet row = lock.executeQuery()) {
                return row.next() ? row.getInt(1) : null;
            }
        }
    }

    private static Map<UserId, RequestId> holdersAmong(Connection connection, CouponName coupon,
                                                       List<ClaimCoupon> claims) throws SQLException {
        String[] users = claims.stream().map(c -> c.userId().value()).distinct().toArray(String[]::new);
        try (PreparedStatement select = connection.prepareStatement(HOLDERS_AMONG)) {
            // planned for each batch's own users: a plan kept from when claims was empty would scan
            // the whole table on every batch later (DESIGN.md, Performance notes)
            select.unwrap(PGStatement.class).setPrepareThreshold(0);
            Array userArray = connection.createArrayOf("varchar", users);
            select.setString(1, coupon.value());
            select.setArray(2, userArray);
            Map<UserId, RequestId> holders = holders(select);
            userArray.free();
            return holders;
        }
    }

    /** Runs a query of {@code user_id, request_id} rows into a map of holder to the request that made the claim. */
    private static Map<UserId, RequestId> holders(PreparedStatement select) throws SQLException {
        Map<UserId, RequestId> holders = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                holders.put(new UserId(rows.getString(1)), new RequestId(rows.getString(2)));
            }
        }
        return holders;
    }

    private static int insertClaims(Connection connection, CouponName coupon, List<ClaimCoupon> grants)
            throws SQLException {
        String[] users = new String[grants.size()];
        String[] requests = new String[grants.size()];
        for (int i = 0; i < grants.size(); i++) {
            users[i] = grants.get(i).userId().value();
            requests[i] = grants.get(i).requestId().value();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_CLAIMS)) {
            Array userArray = connection.createArrayOf("varchar", users);
            Array requestArray = connection.createArrayOf("varchar", requests);
            insert.setString(1, coupon.value());
            insert.setArray(2, userArray);
            insert.setArray(3, requestArray);
            int inserted = insert.executeUpdate();
            userArray.free();
            requestArray.free();
            return inserted;
        }
    }

    private static Optional<Coupon> read(Connection connection, CouponName name) throws SQLException {
        int amount;
        int remaining;
        try (PreparedStatement select = connection.prepareStatement(READ_COUPON)) {
            select.setString(1, name.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                amount = row.getInt(1);
                remaining = row.getInt(2);
            }
        }
        List<UserId> holders = new ArrayList<>(amount - remaining);
        try (PreparedStatement select = connection.prepareStatement(READ_HOLDERS)) {
            select.setFetchSize(5_000);
            select.setString(1, name.value());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    holders.add(new UserId(rows.getString(1)));
                }
            }
        }
        return Optional.of(new Coupon(name, new StockAmount(amount), remaining, holders));
    }

    private <T> T inTransaction(String what, boolean readOnly, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (readOnly) {
                // coupon row and claims as of one snapshot, so remaining and claimed_by agree
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                if (readOnly) {
                    connection.setReadOnly(false);
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(what, e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
