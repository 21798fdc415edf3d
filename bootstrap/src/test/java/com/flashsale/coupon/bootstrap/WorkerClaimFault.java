package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.kafka.worker.RequestBatches;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A test fault in the worker's claims: wraps the use cases the worker serves requests with, and
 * lets {@link #claimAll} decide what becomes of each batch of claims. Creates and reads pass through.
 */
abstract class WorkerClaimFault implements BeanCreatedEventListener<FlashSale> {

    /** The worker's batch of claims, to be answered by {@code real} or not. */
    abstract List<CompletionStage<ClaimOutcome>> claimAll(FlashSale real, List<ClaimCoupon> commands);

    @Override
    public final FlashSale onCreated(BeanCreatedEvent<FlashSale> event) {
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
                return WorkerClaimFault.this.claimAll(real, commands);
            }

            @Override
            public CompletionStage<Optional<Coupon>> find(CouponName name) {
                return real.find(name);
            }
        };
    }
}
