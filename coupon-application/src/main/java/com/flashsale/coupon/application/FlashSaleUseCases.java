package com.flashsale.coupon.application;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.in.OverloadedException;
import com.flashsale.coupon.domain.port.out.Coupons;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The use cases behind {@link FlashSale}, run in-process over a {@link Coupons} store. Store calls
 * block, so they run on {@code storeExecutor}, never on the caller's thread; concurrent claims for
 * one coupon share a transaction through {@link ClaimGroupCommit}.
 */
public final class FlashSaleUseCases implements FlashSale {

    private final Coupons coupons;
    private final Executor storeExecutor;
    private final ClaimGroupCommit claims;

    /** Use cases writing one claim batch of a coupon at a time, observing nothing. */
    public FlashSaleUseCases(Coupons coupons, Executor storeExecutor, int maxClaimBatch) {
        this(coupons, storeExecutor, maxClaimBatch, 1, ClaimBatchObserver.NONE);
    }

    /**
     * @param maxClaimBatch   the most claims one store transaction takes
     * @param batchesInFlight how many batches of one coupon may be written at once (2 lets the next
     *                        wait on the row lock in the database rather than here)
     * @param observer        told of every batch written
     */
    public FlashSaleUseCases(Coupons coupons, Executor storeExecutor, int maxClaimBatch, int batchesInFlight,
                             ClaimBatchObserver observer) {
        this(coupons, storeExecutor, maxClaimBatch, batchesInFlight, observer, Integer.MAX_VALUE);
    }

    /**
     * As above, refusing a claim with {@link OverloadedException} while {@code maxQueuedClaims} wait
     * in the lanes already. A store executor with a bounded queue refuses creates and reads the same way.
     */
    public FlashSaleUseCases(Coupons coupons, Executor storeExecutor, int maxClaimBatch, int batchesInFlight,
                             ClaimBatchObserver observer, int maxQueuedClaims) {
        this.coupons = Objects.requireNonNull(coupons, "coupons");
        this.storeExecutor = Objects.requireNonNull(storeExecutor, "storeExecutor");
        this.claims = new ClaimGroupCommit(coupons, storeExecutor, maxClaimBatch, batchesInFlight,
                Objects.requireNonNull(observer, "observer"), maxQueuedClaims);
    }

    @Override
    public CompletionStage<CreateOutcome> create(CreateCoupon command) {
        Objects.requireNonNull(command, "command");
        return onStoreThread(() -> coupons.add(command));
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
        Objects.requireNonNull(command, "command");
        return claims.submit(command);
    }

    /** Queues all claims before any batch is cut, so that claims of one coupon share a transaction. */
    @Override
    public List<CompletionStage<ClaimOutcome>> claimAll(List<ClaimCoupon> commands) {
        return claims.submitAll(commands);
    }

    @Override
    public CompletionStage<Optional<Coupon>> find(CouponName name) {
        Objects.requireNonNull(name, "name");
        return onStoreThread(() -> coupons.find(name));
    }

    private <T> CompletionStage<T> onStoreThread(Supplier<T> call) {
        try {
            return CompletableFuture.supplyAsync(call, storeExecutor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new OverloadedException("the store's queue is full; try again in a moment"));
        }
    }
}
