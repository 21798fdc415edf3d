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
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The coupon store on PostgreSQL, through Micronaut Data JDBC. Every call is one transaction of
 * Micronaut Data's. Creates and reads go through the repositories; a claim batch takes the coupon's
 * row lock first, so overlapping batches of one coupon queue on it instead of deadlocking on the
 * unique index, and decides the batch with {@link ClaimBatchRule}.
 */
@Singleton
public final class PostgresCoupons implements Coupons {

    /** Coupon row and claims as of one snapshot, so that remaining and claimed_by agree. */
    private static final TransactionDefinition SNAPSHOT_READ = snapshotRead();

    private final TransactionOperations<Connection> transactions;
    private final CouponRepository couponRows;
    private final ClaimRepository claimRows;
    private final ClaimBatchStatements batches;

    PostgresCoupons(TransactionOperations<Connection> transactions, JdbcOperations jdbc,
                    CouponRepository couponRows, ClaimRepository claimRows) {
        this.transactions = transactions;
        this.couponRows = couponRows;
        this.claimRows = claimRows;
        this.batches = new ClaimBatchStatements(jdbc);
    }

    private static TransactionDefinition snapshotRead() {
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
        definition.setReadOnly(true);
        definition.setIsolationLevel(TransactionDefinition.Isolation.REPEATABLE_READ);
        return definition;
    }

    @Override
    public CreateOutcome add(CreateCoupon command) {
        return write("create " + command.name(), () -> {
            String name = command.name().value();
            if (couponRows.insertIfAbsent(name, command.amount().value(), command.requestId().value()) == 1) {
                return new CreateOutcome.Created(Coupon.fresh(command.name(), command.amount()));
            }
            // the row exists: ON CONFLICT saw it, and coupons are never deleted
            CouponRow existing = couponRows.findByName(name).orElseThrow();
            if (!command.requestId().value().equals(existing.requestId())) {
                return new CreateOutcome.AlreadyExists(command.name());
            }
            return new CreateOutcome.Created(toCoupon(existing));
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
        return write("claim " + coupon, () -> {
            Integer remaining = batches.lockCoupon(coupon);
            if (remaining == null) {
                return ClaimBatchRule.notFound(claims);
            }
            // Most batches of a sale name nobody who holds the coupon yet, so the grants the rule
            // would make if nobody did are inserted first: a holder among them is refused by the
            // unique key (ON CONFLICT DO NOTHING), which is how we learn of it. The holders probe
            // then runs only for the users it can still matter to.
            List<ClaimCoupon> hoped = ClaimBatchRule.decide(remaining, Map.of(), claims).grants();
            Set<String> inserted = hoped.isEmpty() ? new HashSet<>() : new HashSet<>(batches.insertClaims(coupon, hoped));
            Map<UserId, RequestId> holders;
            if (inserted.size() == hoped.size()) {
                // none of them held it: only users left without stock may, and they hear already_claimed
                String[] others = claims.stream().map(c -> c.userId().value()).filter(u -> !inserted.contains(u))
                        .distinct().toArray(String[]::new);
                holders = others.length == 0 ? Map.of() : holders(batches.holdersAmong(coupon, others));
            } else {
                // some did: ask about every user; the rows just inserted are this batch's, not holdings
                String[] users = claims.stream().map(c -> c.userId().value()).distinct().toArray(String[]::new);
                holders = holders(batches.holdersAmong(coupon, users).stream()
                        .filter(row -> !inserted.contains(row.userId())).toList());
            }
            ClaimBatchRule.Decision decision = ClaimBatchRule.decide(remaining, holders, claims);
            // the rule's grants start with those inserted already; the rest come after all of them in
            // the batch's order, so ids still follow it
            List<ClaimCoupon> more = decision.grants().stream()
                    .filter(grant -> !inserted.contains(grant.userId().value())).toList();
            int total = inserted.size() + (more.isEmpty() ? 0 : batches.insertClaims(coupon, more).size());
            if (total != decision.grants().size() || !grantsInclude(decision.grants(), inserted)) {
                // cannot happen while every claim takes the row lock first; refuse to guess
                throw new IllegalStateException("claims of " + coupon + " were written without its lock: "
                        + total + " inserted for " + decision.grants().size() + " grants");
            }
            if (total > 0) {
                batches.takeStock(coupon, total);
            }
            return decision.outcomes();
        });
    }

    private static boolean grantsInclude(List<ClaimCoupon> grants, Set<String> users) {
        Set<String> granted = new HashSet<>();
        grants.forEach(grant -> granted.add(grant.userId().value()));
        return granted.containsAll(users);
    }

    @Override
    public Optional<Coupon> find(CouponName name) {
        return read("read " + name, () -> couponRows.findByName(name.value()).map(this::toCoupon));
    }

    @Override
    public Map<UserId, RequestId> holders(CouponName coupon) {
        return read("read holders of " + coupon, () -> holders(claimRows.holdersOf(coupon.value())));
    }

    private Coupon toCoupon(CouponRow row) {
        List<UserId> holders = claimRows.holdersInClaimOrder(row.name()).stream().map(UserId::new).toList();
        return new Coupon(new CouponName(row.name()), new StockAmount(row.amount()), row.remainingAmount(), holders);
    }

    private static Map<UserId, RequestId> holders(List<HolderRow> rows) {
        Map<UserId, RequestId> holders = new HashMap<>(rows.size() * 2);
        for (HolderRow row : rows) {
            holders.put(new UserId(row.userId()), new RequestId(row.requestId()));
        }
        return holders;
    }

    private <T> T write(String what, Supplier<T> work) {
        try {
            return transactions.executeWrite(status -> work.get());
        } catch (RuntimeException e) {
            throw SqlFailures.translate(what, e);
        }
    }

    private <T> T read(String what, Supplier<T> work) {
        try {
            return transactions.execute(SNAPSHOT_READ, status -> work.get());
        } catch (RuntimeException e) {
            throw SqlFailures.translate(what, e);
        }
    }
}
