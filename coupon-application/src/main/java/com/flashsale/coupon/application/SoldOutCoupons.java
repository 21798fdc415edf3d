package com.flashsale.coupon.application;

import com.flashsale.coupon.domain.ClaimBatchRule;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.UserId;
import com.flashsale.coupon.domain.port.out.Coupons;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this instance knows of sold-out coupons. Stock never grows, so a coupon seen sold out stays
 * sold out and its holders never change: claims on it are answered from its holders alone, with
 * no row lock, and once the holders are loaded, with no database at all. Holder sets are kept for
 * the most recently used coupons only; the rest are read again when needed.
 */
final class SoldOutCoupons {

    private final Coupons coupons;
    private final Set<CouponName> soldOut = ConcurrentHashMap.newKeySet();
    private final Map<CouponName, Map<UserId, RequestId>> holders;

    SoldOutCoupons(Coupons coupons, int holderSetsKept) {
        this.coupons = coupons;
        this.holders = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<CouponName, Map<UserId, RequestId>> eldest) {
                return size() > holderSetsKept;
            }
        };
    }

    boolean isSoldOut(CouponName coupon) {
        return soldOut.contains(coupon);
    }

    /** Learns from a batch's outcomes: any {@code SoldOut} means the stock is gone for good. */
    void learn(CouponName coupon, List<ClaimOutcome> outcomes) {
        for (ClaimOutcome outcome : outcomes) {
            if (outcome instanceof ClaimOutcome.SoldOut) {
                soldOut.add(coupon);
                return;
            }
        }
    }

    /** Answers from memory when the coupon's holders are loaded; empty when they are not (yet). */
    Optional<List<ClaimOutcome>> answerFromMemory(CouponName coupon, List<ClaimCoupon> claims) {
        Map<UserId, RequestId> known;
        synchronized (holders) {
            known = holders.get(coupon);
        }
        return known == null ? Optional.empty() : Optional.of(decide(known, claims));
    }

    /** Answers a sold-out coupon's claims, loading its holders first (a blocking read, no lock). */
    List<ClaimOutcome> answer(CouponName coupon, List<ClaimCoupon> claims) {
        Optional<List<ClaimOutcome>> fromMemory = answerFromMemory(coupon, claims);
        if (fromMemory.isPresent()) {
            return fromMemory.get();
        }
        Map<UserId, RequestId> loaded = Map.copyOf(coupons.holders(coupon));
        synchronized (holders) {
            holders.put(coupon, loaded);
        }
        return decide(loaded, claims);
    }

    private static List<ClaimOutcome> decide(Map<UserId, RequestId> known, List<ClaimCoupon> claims) {
        Map<UserId, RequestId> relevant = new HashMap<>();
        for (ClaimCoupon claim : claims) {
            RequestId holding = known.get(claim.userId());
            if (holding != null) {
                relevant.put(claim.userId(), holding);
            }
        }
        return ClaimBatchRule.decide(0, relevant, claims).outcomes();
    }
}
