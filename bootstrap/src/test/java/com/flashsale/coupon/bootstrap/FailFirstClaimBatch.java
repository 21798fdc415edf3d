package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.worker.RequestBatches;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
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
final class FailFirstClaimBatch implements BeanCreatedEventListener<FlashSale> {

    final List<ClaimCoupon> claimsSeen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failed = new AtomicBoolean();

    @Override
    public FlashSale onCreated(BeanCreatedEvent<FlashSale> event) {
        if (!RequestBatches.USE_CASES.equals(event.getBeanIdentifier().getName())) {
            return event.getBean();
        }
        FlashSale real = event.getBean();
        return new FlashSale() {
            @Override
            public CompletionStage<CreateOutcome> create(CreateCoupon command) {
                return real.create(command);
            }

            @Override
            public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
                return claimAll(List.of(command)).get(0);
            }

            @Override
            public List<CompletionStage<ClaimOutcome>> claimAll(List<ClaimCoupon> commands) {
                claimsSeen.addAll(commands);
                if (failed.compareAndSet(false, true)) {
                    throw new IllegalStateException("test fault: the first claim batch fails");
                }
                return real.claimAll(commands);
            }

            @Override
            public CompletionStage<Optional<Coupon>> find(CouponName name) {
                return real.find(name);
            }
        };
    }
}
