package com.flashsale.coupon.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.UserId;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first sale on a new database: {@code claims} has never been vacuumed or analyzed, and holds
 * 100,000 claims by now. With no statistics, PostgreSQL plans the holders probe of a batch of 250
 * users as a sequential scan of the whole table; inside the store's batch transaction, after its
 * lock statement, the probe keeps to the unique key ({@link ClaimBatchStatements#LOCK_COUPON}).
 */
class NeverAnalyzedPlanTest {

    private static final String HOT = "FIRST_SALE";

    private static EmbeddedPostgresServer postgres;
    private static ApplicationContext context;

    @BeforeAll
    static void aNewDatabaseWithAGrowingTable() throws SQLException {
        postgres = EmbeddedPostgresServer.start(Optional.empty(), 0, EmbeddedPostgresServer.Durability.RELAXED,
                false, Map.of("autovacuum", "off"));
        postgres.createDatabase("coupons_never_analyzed");
        context = StoreContext.start(postgres, "coupons_never_analyzed", 10);
        try (Connection c = StoreContext.rawConnection(context); Statement s = c.createStatement()) {
            s.execute("INSERT INTO coupons (name, amount, remaining_amount, request_id)"
                    + " VALUES ('" + HOT + "', 100000, 100000, 'r-hot')");
            s.execute("INSERT INTO claims (user_id, coupon_name, request_id)"
                    + " SELECT 'user_' || g, '" + HOT + "', 'req_' || g FROM generate_series(1, 100000) g");
            try (ResultSet never = s.executeQuery("SELECT reltuples FROM pg_class WHERE relname = 'claims'")) {
                never.next();
                assertThat(never.getDouble(1)).as("claims was never analyzed").isNegative();
            }
        }
    }

    @AfterAll
    static void stop() {
        StoreContext.stop(context, postgres);
    }


    /** The probe's plan for a batch of 250 users (the first 50 of them holders), after {@code before} in its transaction. */
    private static String probePlan(String before) throws SQLException {
        String users = IntStream.rangeClosed(99_951, 100_200).mapToObj(i -> "user_" + i)
                .collect(Collectors.joining(",", "'{", "}'::varchar[]"));
        String explain = "EXPLAIN " + ClaimBatchStatements.HOLDERS_AMONG.replace("ANY (?)", "ANY (" + users + ")")
                .replace("= ?", "= '" + HOT + "'");
        StringBuilder plan = new StringBuilder();
        try (Connection c = StoreContext.rawConnection(context)) {
            c.setAutoCommit(false);
            if (before != null) {
                try (PreparedStatement lock = c.prepareStatement(before)) {
                    lock.setString(1, HOT);
                    lock.executeQuery().close();
                }
            }
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(explain)) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            c.rollback();
        }
        return plan.toString();
    }

    @Test
    void onANeverAnalyzedTable_theProbeAlone_isPlannedAsASequentialScan() throws SQLException {
        // the trap, sprung: without it the test below would prove nothing
        assertThat(probePlan(null)).contains("Seq Scan on claims");
    }

    @Test
    void afterTheBatchLock_theProbeOnANeverAnalyzedTable_usesTheUniqueKey() throws SQLException {
        String plan = probePlan(ClaimBatchStatements.LOCK_COUPON);

        assertThat(plan).contains("claims_user_coupon_key").doesNotContain("Seq Scan");
    }

    @Test
    void theBatchStillAnswersAsTheRuleSays_afterTheLockChangedThePlanner() {
        PostgresCoupons store = context.getBean(PostgresCoupons.class);
        CouponName coupon = new CouponName(HOT);
        List<ClaimCoupon> claims = new ArrayList<>();
        for (int user = 99_999; user <= 100_002; user++) {
            claims.add(new ClaimCoupon(RequestId.random(), new UserId("user_" + user), coupon));
        }

        var outcomes = store.claimAll(coupon, claims).stream().map(o -> o.getClass().getSimpleName()).toList();

        assertThat(outcomes).containsExactly("AlreadyClaimed", "AlreadyClaimed", "Claimed", "Claimed");
    }
}
