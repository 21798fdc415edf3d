package com.flashsale.coupon.domain.port.in;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Claims many at once, one stage per claim, in order. Claims of one coupon may then share a
     * store transaction; the default simply claims one by one.
     */
    default List<CompletionStage<ClaimOutcome>> claimAll(List<ClaimCoupon> commands) {
        List<CompletionStage<ClaimOutcome>> results = new ArrayList<>(commands.size());
        for (ClaimCoupon command : commands) {
            results.add(claim(command));
        }
        return results;
    }

    /** Reads a coupon with its holders, or empty when no coupon has that name. */
    CompletionStage<Optional<Coupon>> find(CouponName name);
}
