package com.flashsale.coupon.adapter.postgres;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/**
 * Reads the holders of a coupon. Every statement runs in the caller's transaction. The claim
 * batch's own statements (lock, probe of the holders among its users, insert, decrement) are in
 * {@link ClaimBatchStatements}, which says why they are not repository methods.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ClaimRepository extends GenericRepository<ClaimRow, Long> {

    /** The holders in claim order, from the claim-order index alone (an index-only scan). */
    @Query("SELECT user_id FROM claims WHERE coupon_name = :coupon ORDER BY claimed_at, id")
    List<String> holdersInClaimOrder(String coupon);

    /** Every holder with the request that made the claim. */
    @Query("SELECT user_id, request_id FROM claims WHERE coupon_name = :coupon")
    List<HolderRow> holdersOf(String coupon);
}
