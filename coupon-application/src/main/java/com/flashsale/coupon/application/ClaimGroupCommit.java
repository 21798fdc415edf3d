package com.flashsale.coupon.application;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.port.in.OverloadedException;
import com.flashsale.coupon.domain.port.out.Coupons;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit per coupon: while a batch of a coupon is being written, its new claims queue, and
 * the next batch takes all that queued, up to {@code maxBatch}. Nothing waits for a batch to fill,
 * so a lone claim goes straight to the store; claims of different coupons never share a lane.
 *
 * <p>Up to {@code batchesInFlight} batches of one coupon run at once: the next one waits on the
 * coupon's row lock inside the database and starts the moment the previous one commits, instead
 * of after that commit's round trip back here. The lock keeps them in order and the rule exact.
 */
final class ClaimGroupCommit {

    /** Sold-out coupons whose holders are kept in memory (each at most 100,000 holders). */
    private static final int SOLD_OUT_HOLDER_SETS = 16;

    private final Coupons coupons;
    private final Executor executor;
    private final int maxBatch;
    private final int batchesInFlight;
    private final ClaimBatchObserver observer;
    private final SoldOutCoupons soldOut;
    private final ConcurrentHashMap<CouponName, Lane> lanes = new ConcurrentHashMap<>();
    /** Claims queued in all lanes now; past {@code maxQueued} a claim is refused at once. */
    private final AtomicInteger queued = new AtomicInteger();
    private final int maxQueued;

    ClaimGroupCommit(Coupons coupons, Executor executor, int maxBatch, int batchesInFlight,
                     ClaimBatchObserver observer) {
        this(coupons, executor, maxBatch, batchesInFlight, observer, Integer.MAX_VALUE);
    }

    ClaimGroupCommit(Coupons coupons, Executor executor, int maxBatch, int batchesInFlight,
                     ClaimBatchObserver observer, int maxQueued) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1: " + maxQueued);
        }
        this.maxQueued = maxQueued;
        if (maxBatch < 1 || batchesInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and batchesInFlight must be at least 1: "
                    + maxBatch + ", " + batchesInFlight);
        }
        this.batchesInFlight = batchesInFlight;
        this.coupons = coupons;
        this.executor = executor;
        this.maxBatch = maxBatch;
        this.observer = observer;
        this.soldOut = new SoldOutCoupons(coupons, SOLD_OUT_HOLDER_SETS);
    }

    CompletionStage<ClaimOutcome> submit(ClaimCoupon claim) {
        return submitAll(List.of(claim)).get(0);
    }

    /** Queues every claim first, then starts the lanes, so one coupon's claims land in one batch. */
    List<CompletionStage<ClaimOutcome>> submitAll(List<ClaimCoupon> claims) {
        List<CompletionStage<ClaimOutcome>> results = new ArrayList<>(claims.size());
        // every lane a claim went into, not one per coupon: a lane may leave the map between two
        // claims of one coupon (see drainOnce), and the claim put into it is then started only here
        Set<Lane> touched = new LinkedHashSet<>();
        for (ClaimCoupon claim : claims) {
            if (soldOut.isSoldOut(claim.couponName())) {
                // the sold-out fast path: no queue, no thread hop, no store
                var answered = soldOut.answerFromMemory(claim.couponName(), List.of(claim));
                if (answered.isPresent()) {
                    results.add(CompletableFuture.completedFuture(answered.get().get(0)));
                    continue;
                }
            }
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                results.add(CompletableFuture.failedFuture(new OverloadedException(
                        maxQueued + " claims are queued already; try again in a moment")));
                continue;
            }
            Pending pending = new Pending(claim, new CompletableFuture<>());
            Lane lane = lanes.computeIfAbsent(claim.couponName(), Lane::new);
            lane.queue.add(pending);
            touched.add(lane);
            results.add(pending.result);
        }
        touched.forEach(Lane::schedule);
        return results;
    }

    private record Pending(ClaimCoupon claim, CompletableFuture<ClaimOutcome> result) {
    }

    /** The claims waiting for one coupon, and how many of its batches are being written. */
    private final class Lane {
        private final CouponName coupon;
        private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();

        Lane(CouponName coupon) {
            this.coupon = coupon;
        }

        void schedule() {
            while (!queue.isEmpty()) {
                int running = inFlight.get();
                if (running >= batchesInFlight) {
                    return;
                }
                if (inFlight.compareAndSet(running, running + 1)) {
                    try {
                        executor.execute(this::drainOnce);
                    } catch (RejectedExecutionException e) {
                        inFlight.decrementAndGet();
                        failAll(new OverloadedException("the store's queue is full; try again in a moment"));
                    }
                    return;
                }
            }
        }

        /** Writes one batch, then hands the lane back to the executor so other coupons get a turn. */
        private void drainOnce() {
            List<Pending> batch = new ArrayList<>();
            for (Pending p; batch.size() < maxBatch && (p = queue.poll()) != null; ) {
                queued.decrementAndGet();
                // answered already: its caller's deadline passed while it queued, so it takes no stock
                if (!p.result().isDone()) {
                    batch.add(p);
                }
            }
            try {
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } finally {
                inFlight.decrementAndGet();
                if (queue.isEmpty() && inFlight.get() == 0) {
                    // An idle lane leaves the map; a claim that raced past this still drains its
                    // own lane object, so at worst two batches of one coupon run at once, which
                    // the store's lock makes safe.
                    lanes.remove(coupon, this);
                }
                schedule();
            }
        }

        private void write(List<Pending> batch) {
            List<ClaimCoupon> claims = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                claims.add(p.claim());
            }
            List<ClaimOutcome> outcomes;
            try {
                if (soldOut.isSoldOut(coupon)) {
                    outcomes = soldOut.answer(coupon, claims);
                } else {
                    long started = System.nanoTime();
                    outcomes = coupons.claimAll(coupon, claims);
                    observer.batchWritten(coupon, claims.size(), System.nanoTime() - started);
                    soldOut.learn(coupon, outcomes);
                }
                if (outcomes.size() != batch.size()) {
                    throw new IllegalStateException("store answered " + outcomes.size()
                            + " outcomes for " + batch.size() + " claims of " + coupon);
                }
            } catch (RuntimeException | Error e) {
                for (Pending p : batch) {
                    p.result().completeExceptionally(e);
                }
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(Objects.requireNonNull(outcomes.get(i), "outcome"));
            }
        }

        private void failAll(Throwable cause) {
            for (Pending p; (p = queue.poll()) != null; ) {
                queued.decrementAndGet();
                p.result().completeExceptionally(cause);
            }
        }
    }
}
