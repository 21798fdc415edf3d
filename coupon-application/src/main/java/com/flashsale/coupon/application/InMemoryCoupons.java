package com.flashsale.coupon.application;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Coupons} store in memory, with the same semantics as the database store: for tests and
 * for services that embed the core without a database. Each coupon is guarded by its own lock.
 */
public final class InMemoryCoupons implements Coupons {

    private final ConcurrentHashMap<CouponName, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public CreateOutcome add(CreateCoupon command) {
        Entry fresh = new Entry(command.requestId(), command.amount());
        Entry existing = entries.putIfAbsent(command.name(), fresh);
        if (existing == null) {
            return new CreateOutcome.Created(Coupon.fresh(command.name(), command.amount()));
        }
        if (existing.createdBy.equals(command.requestId())) {
            return new CreateOutcome.Created(existing.snapshot(command.name()));
        }
        return new CreateOutcome.AlreadyExists(command.name());
    }

    @Override
    public List<ClaimOutcome> claimAll(CouponName coupon, List<ClaimCoupon> claims) {
        for (ClaimCoupon claim : claims) {
            if (!claim.couponName().equals(coupon)) {
                throw new IllegalArgumentException("claim for " + claim.couponName() + " in a batch of " + coupon);
            }
        }
        Entry entry = entries.get(coupon);
        if (entry == null) {
            return ClaimBatchRule.notFound(claims);
        }
        synchronized (entry) {
            Map<UserId, RequestId> holders = new HashMap<>();
            for (ClaimCoupon claim : claims) {
                RequestId holding = entry.holders.get(claim.userId());
                if (holding != null) {
                    holders.put(claim.userId(), holding);
                }
            }
            ClaimBatchRule.Decision decision = ClaimBatchRule.decide(entry.remaining, holders, claims);
            for (ClaimCoupon grant : decision.grants()) {
                entry.holders.put(grant.userId(), grant.requestId());
            }
            entry.remaining -= decision.grants().size();
            return decision.outcomes();
        }
    }

    @Override
    public Optional<Coupon> find(CouponName name) {
        Entry entry = entries.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.snapshot(name));
    }

    @Override
    public Map<UserId, RequestId> holders(CouponName coupon) {
        Entry entry = entries.get(coupon);
        if (entry == null) {
            return Map.of();
        }
        synchronized (entry) {
            return Map.copyOf(entry.holders);
        }
    }

    private static final class Entry {
        private final RequestId createdBy;
        private final StockAmount amount;
        /** Insertion order is claim order. */
        private final LinkedHashMap<UserId, RequestId> holders = new LinkedHashMap<>();
        private int remaining;

        Entry(RequestId createdBy, StockAmount amount) {
            this.createdBy = createdBy;
            this.amount = amount;
            this.remaining = amount.value();
        }

        synchronized Coupon snapshot(CouponName name) {
            return new Coupon(name, amount, remaining, new ArrayList<>(holders.keySet()));
        }
    }
}
