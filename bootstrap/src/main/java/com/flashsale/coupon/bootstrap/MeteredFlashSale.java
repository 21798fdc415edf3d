package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The port the HTTP adapter calls, counting what callers are told: claims by outcome
 * ({@code coupon.claims}), and creates by outcome ({@code coupon.creates}).
 */
final class MeteredFlashSale implements FlashSale {

    private final FlashSale delegate;
    private final Counter claimed;
    private final Counter alreadyClaimed;
    private final Counter soldOut;
    private final Counter couponNotFound;
    private final Counter claimTimeout;
    private final Counter claimError;
    private final Counter created;
    private final Counter exists;
    private final Counter createFailed;

    MeteredFlashSale(FlashSale delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.claimed = claims(registry, "claimed");
        this.alreadyClaimed = claims(registry, "already_claimed");
        this.soldOut = claims(registry, "sold_out");
        this.couponNotFound = claims(registry, "coupon_not_found");
        this.claimTimeout = claims(registry, "timeout");
        this.claimError = claims(registry, "error");
        this.created = creates(registry, "created");
        this.exists = creates(registry, "coupon_exists");
        this.createFailed = creates(registry, "error");
    }

    private static Counter claims(MeterRegistry registry, String outcome) {
        return Counter.builder("coupon.claims").description("Claims answered, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private static Counter creates(MeterRegistry registry, String outcome) {
        return Counter.builder("coupon.creates").description("Coupon creates answered, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    @Override
    public CompletionStage<CreateOutcome> create(CreateCoupon command) {
        return delegate.create(command).whenComplete((outcome, failure) -> {
            if (failure != null) {
                createFailed.increment();
            } else {
                outcome.fold(c -> created, e -> exists).increment();
            }
        });
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
        return delegate.claim(command).whenComplete((outcome, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                (cause instanceof OutcomeUnknownException ? claimTimeout : claimError).increment();
            } else {
                outcome.fold(c -> claimed, a -> alreadyClaimed, s -> soldOut, n -> couponNotFound).increment();
            }
        });
    }

    @Override
    public CompletionStage<Optional<Coupon>> find(CouponName name) {
        return delegate.find(name);
    }
}
