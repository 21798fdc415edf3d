package com.flashsale.coupon.examples.embedded;

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

/**
 * The smallest honest store: every call under one lock, the claim rule taken from the core's
 * {@link ClaimBatchRule} rather than written again. What an embedding service would replace with
 * its own database.
 */
final class SingleLockCoupons implements Coupons {

    private record Stock(RequestId createdBy, StockAmount amount, int remaining, LinkedHashMap<UserId, RequestId> holders) {
    }

    private final Map<CouponName, Stock> coupons = new HashMap<>();

    @Override
    public synchronized CreateOutcome add(CreateCoupon command) {
        Stock existing = coupons.get(command.name());
        if (existing == null) {
            coupons.put(command.name(), new Stock(command.requestId(), command.amount(), command.amount().value(),
                    new LinkedHashMap<>()));
            return new CreateOutcome.Created(Coupon.fresh(command.name(), command.amount()));
        }
        return existing.createdBy().equals(command.requestId())
                ? new CreateOutcome.Created(snapshot(command.name(), existing))
                : new CreateOutcome.AlreadyExists(command.name());
    }

    @Override
    public synchronized List<ClaimOutcome> claimAll(CouponName coupon, List<ClaimCoupon> claims) {
        Stock stock = coupons.get(coupon);
        if (stock == null) {
            return ClaimBatchRule.notFound(claims);
        }
        ClaimBatchRule.Decision decision = ClaimBatchRule.decide(stock.remaining(), stock.holders(), claims);
        LinkedHashMap<UserId, RequestId> holders = new LinkedHashMap<>(stock.holders());
        decision.grants().forEach(grant -> holders.put(grant.userId(), grant.requestId()));
        coupons.put(coupon, new Stock(stock.createdBy(), stock.amount(),
                stock.remaining() - decision.grants().size(), holders));
        return decision.outcomes();
    }

    @Override
    public synchronized Optional<Coupon> find(CouponName name) {
        return Optional.ofNullable(coupons.get(name)).map(stock -> snapshot(name, stock));
    }

    @Override
    public synchronized Map<UserId, RequestId> holders(CouponName coupon) {
        Stock stock = coupons.get(coupon);
        return stock == null ? Map.of() : Map.copyOf(stock.holders());
    }

    private static Coupon snapshot(CouponName name, Stock stock) {
        return new Coupon(name, stock.amount(), stock.remaining(), new ArrayList<>(stock.holders().keySet()));
    }
}
