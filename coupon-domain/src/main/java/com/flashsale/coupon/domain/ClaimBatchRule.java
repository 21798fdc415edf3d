package com.flashsale.coupon.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The claim rule, written once for every store: a batch of claims for one coupon is decided in
 * list order against the stock left and the users who already hold the coupon.
 *
 * <ul>
 *   <li>A user who holds the coupon gets {@code Claimed} if the holding claim carried this very
 *       request id (a redelivery), otherwise {@code AlreadyClaimed}.</li>
 *   <li>A new user is granted while stock lasts, then gets {@code SoldOut}.</li>
 *   <li>A user named twice in one batch is decided once; the later entry gets the answer a
 *       redelivery would get.</li>
 * </ul>
 * So at most {@code min(remaining, distinct new users)} claims are granted, in list order.
 */
public final class ClaimBatchRule {

    private ClaimBatchRule() {
    }

    /** What to store and what to answer; {@code outcomes} is in the order of the claims. */
    public record Decision(List<ClaimCoupon> grants, List<ClaimOutcome> outcomes) {
        public Decision {
            grants = List.copyOf(grants);
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * Decides a batch.
     *
     * @param remaining stock left before the batch, read under the coupon's lock
     * @param holders   for the users of this batch who already hold the coupon, the request id
     *                  that made their claim
     * @param claims    claims for one coupon, in arrival order
     */
    public static Decision decide(int remaining, Map<UserId, RequestId> holders, List<ClaimCoupon> claims) {
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining must not be negative: " + remaining);
        }
        Map<UserId, RequestId> holding = new HashMap<>(holders);
        Map<UserId, ClaimOutcome> soldOutInBatch = new HashMap<>();
        List<ClaimCoupon> grants = new ArrayList<>();
        List<ClaimOutcome> outcomes = new ArrayList<>(claims.size());
        int left = remaining;
        for (ClaimCoupon claim : claims) {
            UserId user = claim.userId();
            CouponName coupon = claim.couponName();
            if (!coupon.equals(claims.get(0).couponName())) {
                throw new IllegalArgumentException("a batch holds claims for one coupon only");
            }
            RequestId holdingRequest = holding.get(user);
            if (holdingRequest != null) {
                outcomes.add(Objects.equals(holdingRequest, claim.requestId())
                        ? new ClaimOutcome.Claimed(coupon, user)
                        : new ClaimOutcome.AlreadyClaimed(coupon, user));
            } else if (soldOutInBatch.containsKey(user)) {
                outcomes.add(soldOutInBatch.get(user));
            } else if (left > 0) {
                left--;
                grants.add(claim);
                holding.put(user, claim.requestId());
                outcomes.add(new ClaimOutcome.Claimed(coupon, user));
            } else {
                ClaimOutcome soldOut = new ClaimOutcome.SoldOut(coupon, user);
                soldOutInBatch.put(user, soldOut);
                outcomes.add(soldOut);
            }
        }
        return new Decision(grants, outcomes);
    }

    /** The answer for every claim of a batch whose coupon does not exist. */
    public static List<ClaimOutcome> notFound(List<ClaimCoupon> claims) {
        List<ClaimOutcome> outcomes = new ArrayList<>(claims.size());
        for (ClaimCoupon claim : claims) {
            outcomes.add(new ClaimOutcome.CouponNotFound(claim.couponName(), claim.userId()));
        }
        return List.copyOf(outcomes);
    }
}
