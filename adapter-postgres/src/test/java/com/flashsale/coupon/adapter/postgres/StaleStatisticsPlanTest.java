package com.flashsale.coupon.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The holders probe keeps its plan when the statistics of {@code claims} describe a table far
 * smaller than the sale is making: analyzed nearly empty, autovacuum off, then 40,000 claims of
 * one coupon. Asserts plans, not times: the plan PostgreSQL makes with a batch's values, the
 * generic plan a prepared statement may switch to, and (through pg_stat_statements) that the
 * store plans the probe at every batch instead of running a plan kept from a smaller table.
 */
class StaleStatisticsPlanTest {

    private static final String HOT = "HOT_SALE";
    private static final String OLD_SHAPE =
            "SELECT user_id, request_id FROM claims WHERE coupon_name = :coupon AND user_id = ANY (:users)";
    /** The store's probe, with its two parameters named. */
    private static final String PROBE = ClaimBatchStatements.HOLDERS_AMONG
            .replace("ANY (?)", "ANY (:users)").replace("= ?", "= :coupon");

    private static EmbeddedPostgresServer postgres;
    private static ApplicationContext context;

    @BeforeAll
    static void staleStatistics() throws SQLException {
        postgres = EmbeddedPostgresServer.start(Optional.empty(), 0, EmbeddedPostgresServer.Durability.RELAXED,
                false, Map.of("shared_preload_libraries", "pg_stat_statements",
                        "pg_stat_statements.track_planning", "on"));
        postgres.createDatabase("coupons_plans");
        context = StoreContext.start(postgres, "coupons_plans", 10);
        try (Connection c = StoreContext.rawConnection(context); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION pg_stat_statements");
            s.execute("ALTER TABLE claims SET (autovacuum_enabled = false)");
            s.execute("INSERT INTO coupons (name, amount, remaining_amount, request_id) VALUES"
                    + " ('EARLIER', 100000, 99950, 'r-earlier'), ('" + HOT + "', 100000, 60000, 'r-hot')");
            s.execute("INSERT INTO claims (user_id, coupon_name, request_id)"
                    + " SELECT 'early_' || g, 'EARLIER', 'req_early_' || g FROM generate_series(1, 50) g");
            s.execute("ANALYZE claims");
            s.execute("INSERT INTO claims (user_id, coupon_name, request_id)"
                    + " SELECT 'user_' || g, '" + HOT + "', 'req_' || g FROM generate_series(1, 40000) g");
        }
    }


    @AfterAll
    static void stop() {
        StoreContext.stop(context, postgres);
    }

    /** The plan PostgreSQL makes with the values of one batch of 120 users, half of them holders. */
    private static String customPlan(String query) throws SQLException {
        String users = IntStream.rangeClosed(39_941, 40_060).mapToObj(i -> "user_" + i)
                .collect(Collectors.joining(",", "'{", "}'::varchar[]"));
        return explain("EXPLAIN " + query.replace(":users", users).replace(":coupon", "'" + HOT + "'"));
    }

    /** The plan a prepared statement may switch to after five executions: made without the values. */
    private static String genericPlan(String query) throws SQLException {
        return explain("EXPLAIN (GENERIC_PLAN) "
                + query.replace(":users", "$1::varchar[]").replace(":coupon", "$2::text"));
    }

    private static String explain(String explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        // the simple query protocol, so that $1 and $2 reach EXPLAIN (GENERIC_PLAN) as they are
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("coupons_plans") + "?preferQueryMode=simple",
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(explain)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        System.out.println(explain + "\n" + plan);
        return plan.toString();
    }

    @Test
    void withStaleStatistics_theHoldersProbe_usesOnlyTheUniqueKey_withTheValues() throws SQLException {
        String plan = customPlan(PROBE);

        assertThat(plan).contains("claims_user_coupon_key").doesNotContain("claims_by_coupon_in_order")
                .doesNotContain("Seq Scan");
    }

    @Test
    void withStaleStatistics_theHoldersProbe_usesOnlyTheUniqueKey_inItsGenericPlan() throws SQLException {
        String plan = genericPlan(PROBE);

        assertThat(plan).contains("claims_user_coupon_key").doesNotContain("claims_by_coupon_in_order")
                .doesNotContain("Seq Scan");
    }

    @Test
    void theSameStatistics_leadTheOldShapeOfTheProbe_toReadTheWholeCouponInClaimOrder() throws SQLException {
        // the fixture is stale enough to spring the trap: without it, the two tests above prove nothing
        assertThat(customPlan(OLD_SHAPE) + genericPlan(OLD_SHAPE)).contains("claims_by_coupon_in_order");
    }

    @Test
    void theStore_plansTheProbeForEveryBatch_neverRunningAPlanKeptFromASmallerTable() throws SQLException {
        PostgresCoupons store = context.getBean(PostgresCoupons.class);
        CouponName coupon = new CouponName("EVERY_BATCH");
        store.add(new CreateCoupon(RequestId.random(), coupon, new StockAmount(1000)));
        store.claimAll(coupon, List.of(new ClaimCoupon(RequestId.random(), new UserId("holder"), coupon)));
        resetStatementStatistics();

        for (int batch = 0; batch < 12; batch++) {
            // a holder in each batch: the insert meets it, and the probe must say who else holds it
            List<ClaimCoupon> claims = new ArrayList<>();
            claims.add(new ClaimCoupon(RequestId.random(), new UserId("holder"), coupon));
            for (int user = 0; user < 5; user++) {
                claims.add(new ClaimCoupon(RequestId.random(), new UserId("b" + batch + "u" + user), coupon));
            }
            store.claimAll(coupon, claims);
        }

        long[] callsAndPlans = callsAndPlans("WHERE user_id = ANY");
        assertThat(callsAndPlans[0]).isEqualTo(12);
        assertThat(callsAndPlans[1]).as("plans of the probe").isEqualTo(callsAndPlans[0]);
    }

    @Test
    void batchesOfNewUsersWithStockToSpare_runNoProbe_theInsertSaysNobodyHeldIt() throws SQLException {
        PostgresCoupons store = context.getBean(PostgresCoupons.class);
        CouponName coupon = new CouponName("NEW_USERS_ONLY");
        store.add(new CreateCoupon(RequestId.random(), coupon, new StockAmount(1000)));
        resetStatementStatistics();

        for (int batch = 0; batch < 12; batch++) {
            List<ClaimCoupon> claims = new ArrayList<>();
            for (int user = 0; user < 5; user++) {
                claims.add(new ClaimCoupon(RequestId.random(), new UserId("n" + batch + "u" + user), coupon));
            }
            assertThat(store.claimAll(coupon, claims)).allMatch(o -> o instanceof ClaimOutcome.Claimed);
        }

        assertThat(callsAndPlans("WHERE user_id = ANY")[0]).as("probes run").isZero();
        assertThat(callsAndPlans("INSERT INTO claims")[0]).as("inserts").isEqualTo(12);
    }

    @Test
    void aStatementPreparedOnTheServer_stopsBeingPlanned_soThePlanCountCatchesIt() throws SQLException {
        // the trap the store avoids: pgjdbc prepares a statement on the server from its fifth run
        resetStatementStatistics();
        try (Connection c = StoreContext.rawConnection(context);
             PreparedStatement select = c.prepareStatement("SELECT user_id FROM claims WHERE id = ?")) {
            for (int i = 0; i < 12; i++) {
                select.setLong(1, i + 1);
                try (ResultSet ignored = select.executeQuery()) {
                    // executed for its planning only
                }
            }
        }
        long[] callsAndPlans = callsAndPlans("SELECT user_id FROM claims WHERE id =");
        assertThat(callsAndPlans[0]).isEqualTo(12);
        assertThat(callsAndPlans[1]).isLessThan(callsAndPlans[0]);
    }

    private static void resetStatementStatistics() throws SQLException {
        try (Connection c = StoreContext.rawConnection(context); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    private static long[] callsAndPlans(String queryFragment) throws SQLException {
        try (Connection c = StoreContext.rawConnection(context);
             PreparedStatement select = c.prepareStatement("SELECT sum(calls), sum(plans) FROM pg_stat_statements"
                     + " WHERE query LIKE '%' || ? || '%' AND query NOT LIKE '%pg_stat_statements%'")) {
            select.setString(1, queryFragment);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2)};
            }
        }
    }
}
