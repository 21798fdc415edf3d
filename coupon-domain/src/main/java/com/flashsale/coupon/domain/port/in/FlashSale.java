package com.flashsale.coupon.domain.port.in;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the service offers its callers. Asynchronous so that no caller thread waits on the store
 * or the network; a stage fails only on an outage or a bug, never for a business outcome.
 */
public interface FlashSale {

    /** Creates a coupon with a fixed stock. */
    CompletionStage<CreateOutcome> create(CreateCoupon command);

    /** Claims one coupon for one user. */
    CompletionStage<ClaimOutcome> claim(ClaimCoupon command);

    /** Reads a coupon with its holders, or empty when no coupon has that name. */
    CompletionStage<Optional<Coupon>> find(CouponName name);
}
