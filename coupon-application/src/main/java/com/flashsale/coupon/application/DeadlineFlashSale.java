package com.flashsale.coupon.application;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The use cases with a deadline on every call: a call not answered within {@code timeout} fails
 * with {@link OutcomeUnknownException}, whatever the store is doing (a frozen database never
 * answers, and never enforces its own timeouts). The deadline completes the use case's own stage,
 * so a claim still queued behind a batch is dropped by its lane and takes no stock.
 */
public final class DeadlineFlashSale implements FlashSale {

    private final FlashSale useCases;
    private final long timeoutMillis;

    public DeadlineFlashSale(FlashSale useCases, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.useCases = useCases;
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public CompletionStage<CreateOutcome> create(CreateCoupon command) {
        return withDeadline(useCases.create(command), "create " + command.name());
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
        return withDeadline(useCases.claim(command), "claim " + command.couponName() + " for " + command.userId());
    }

    @Override
    public List<CompletionStage<ClaimOutcome>> claimAll(List<ClaimCoupon> commands) {
        List<CompletionStage<ClaimOutcome>> stages = useCases.claimAll(commands);
        List<CompletionStage<ClaimOutcome>> bounded = new ArrayList<>(stages.size());
        for (int i = 0; i < stages.size(); i++) {
            bounded.add(withDeadline(stages.get(i), "claim " + commands.get(i).couponName()));
        }
        return bounded;
    }

    @Override
    public CompletionStage<Optional<Coupon>> find(CouponName name) {
        return withDeadline(useCases.find(name), "read " + name);
    }

    private <T> CompletionStage<T> withDeadline(CompletionStage<T> stage, String what) {
        CompletableFuture<T> own = stage.toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        return own.exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new OutcomeUnknownException(
                        "no answer to " + what + " within " + timeoutMillis + " ms"));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
