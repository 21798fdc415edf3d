package com.flashsale.coupon.domain.port.out;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coupons and their claims, as stored. Calls block; each is atomic. Implementations throw
 * {@link StoreUnavailableException} for a failure that may pass if tried again.
 */
public interface Coupons {

    /**
     * Stores a new coupon. A create whose request id made the existing coupon answers
     * {@code Created} again; any other create of an existing name answers {@code AlreadyExists}.
     */
    CreateOutcome add(CreateCoupon command);

    /**
     * Applies claims for one coupon in one atomic step, following {@link
     * com.flashsale.coupon.domain.ClaimBatchRule}; returns one outcome per claim, in order.
     *
     * @throws IllegalArgumentException when the claims name more than one coupon
     */
    List<ClaimOutcome> claimAll(CouponName coupon, List<ClaimCoupon> claims);

    /** Reads a coupon and its holders in claim order, as of one moment. */
    Optional<Coupon> find(CouponName name);

    /**
     * Every holder of a coupon with the request id that made their claim, without locking
     * anything: for answering claims on a coupon known to be sold out, whose holders never change.
     */
    Map<UserId, RequestId> holders(CouponName coupon);
}
