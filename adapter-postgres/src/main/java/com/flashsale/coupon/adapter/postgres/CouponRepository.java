package com.flashsale.coupon.adapter.postgres;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;

/** Creates and reads coupons. Every statement runs in the caller's transaction. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface CouponRepository extends GenericRepository<CouponRow, String> {

    /** 1 if the coupon was created, 0 if one of that name exists already. */
    @Query("""
            INSERT INTO coupons (name, amount, remaining_amount, request_id)
            VALUES (:name, :amount, :amount, :requestId)
            ON CONFLICT (name) DO NOTHING""")
    int insertIfAbsent(String name, int amount, String requestId);

    Optional<CouponRow> findByName(String name);
}
