package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test fault: the worker's use cases throw on their first batch of claims instead of answering it,
 * as they do when their store executor has been shut down, then serve as usual. Switched on by
 * {@code test.fail-first-claim-batch=true}; records every claim the worker was asked for.
 */
@Singleton
@Requires(property = "test.fail-first-claim-batch", value = "true")
final class FailFirstClaimBatch extends WorkerClaimFault {

    final List<ClaimCoupon> claimsSeen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failed = new AtomicBoolean();

    @Override
    List<CompletionStage<ClaimOutcome>> claimAll(FlashSale real, List<ClaimCoupon> commands) {
        claimsSeen.addAll(commands);
        if (failed.compareAndSet(false, true)) {
            throw new IllegalStateException("test fault: the first claim batch fails");
        }
        return real.claimAll(commands);
    }
}
