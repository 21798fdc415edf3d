package com.flashsale.coupon.adapter.postgres;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/**
 * Reads the holders of a coupon. Every statement runs in the caller's transaction. The claim
 * batch's own statements (lock, probe, insert, decrement) are in {@link ClaimBatchStatements}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ClaimRepository extends GenericRepository<ClaimRow, Long> {

    /** The holders in claim order, from the claim-order index alone (an index-only scan). */
    @Query("SELECT user_id FROM claims WHERE coupon_name = :coupon ORDER BY claimed_at, id")
    List<String> holdersInClaimOrder(String coupon);

    /**
     * Which of {@code users} hold the coupon, with the requests that made their claims. The coupon
     * is compared as an expression on purpose: no index can serve {@code coupon_name || ''}, so
     * the only index PostgreSQL can use is the unique key, probed once per user (it leads with
     * {@code user_id}). Written as {@code coupon_name = ?}, it may take the claim-order index
     * instead and read every claim of the coupon, whenever the statistics of {@code claims} are
     * older than the sale (DESIGN.md, Performance notes); {@code StaleStatisticsPlanTest} holds it.
     */
    @Query(HOLDERS_AMONG)
    List<HolderRow> holdersAmong(String coupon, String[] users);

    String HOLDERS_AMONG =
            "SELECT user_id, request_id FROM claims WHERE user_id = ANY (:users) AND coupon_name || '' = :coupon";

    /** Every holder with the request that made the claim. */
    @Query("SELECT user_id, request_id FROM claims WHERE coupon_name = :coupon")
    List<HolderRow> holdersOf(String coupon);
}
