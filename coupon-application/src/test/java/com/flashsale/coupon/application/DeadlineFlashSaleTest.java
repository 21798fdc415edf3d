package com.flashsale.coupon.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import com.flashsale.coupon.domain.port.out.Coupons;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every call answers by its deadline, and a claim whose caller was answered so takes no stock. */
class DeadlineFlashSaleTest {

    private static final CouponName COUPON = new CouponName("DEADLINE");
    private final ExecutorService storeThreads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        storeThreads.shutdownNow();
    }

    /** The in-memory store, whose claim batches wait at a gate the test opens. */
    private static final class GatedCoupons implements Coupons {
        private final InMemoryCoupons store = new InMemoryCoupons();
        private final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public CreateOutcome add(CreateCoupon command) {
            return store.add(command);
        }

        @Override
        public List<ClaimOutcome> claimAll(CouponName coupon, List<ClaimCoupon> claims) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store.claimAll(coupon, claims);
        }

        @Override
        public Optional<Coupon> find(CouponName name) {
            return store.find(name);
        }

        @Override
        public Map<UserId, RequestId> holders(CouponName coupon) {
            return store.holders(coupon);
        }
    }

    private static ClaimCoupon claim(String user) {
        return new ClaimCoupon(RequestId.random(), new UserId(user), COUPON);
    }

    @Test
    void aClaimStuckBehindTheStore_isAnsweredOutcomeUnknownAtItsDeadline() {
        GatedCoupons store = new GatedCoupons();
        store.add(new CreateCoupon(RequestId.random(), COUPON, new StockAmount(5)));
        var sale = new DeadlineFlashSale(new FlashSaleUseCases(store, storeThreads, 100), Duration.ofMillis(200));

        CompletableFuture<ClaimOutcome> stuck = sale.claim(claim("stuck_user")).toCompletableFuture();

        assertThatThrownBy(() -> stuck.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(OutcomeUnknownException.class);
        store.gate.countDown();
    }

    @Test
    void aClaimStillQueuedWhenItsCallerIsAnswered_takesNoStock() throws Exception {
        GatedCoupons store = new GatedCoupons();
        store.add(new CreateCoupon(RequestId.random(), COUPON, new StockAmount(5)));
        var sale = new DeadlineFlashSale(new FlashSaleUseCases(store, storeThreads, 100), Duration.ofMillis(200));

        CompletableFuture<ClaimOutcome> writing = sale.claim(claim("first_user")).toCompletableFuture();
        Thread.sleep(50); // the first batch is at the store's gate now; the next claim queues behind it
        CompletableFuture<ClaimOutcome> queued = sale.claim(claim("queued_user")).toCompletableFuture();
        assertThatThrownBy(() -> queued.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(OutcomeUnknownException.class);
        store.gate.countDown();
        assertThatThrownBy(() -> writing.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(OutcomeUnknownException.class);

        // the batch at the gate was written (its outcome unknown to its caller); the queued claim was not
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.find(COUPON).orElseThrow().remainingAmount() == 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
        assertThat(store.find(COUPON).orElseThrow().claimedBy()).containsExactly(new UserId("first_user"));
    }

    @Test
    void pastTheQueueBound_aClaimIsRefusedAtOnce_andTheStoreNeverSeesIt() throws Exception {
        GatedCoupons store = new GatedCoupons();
        store.add(new CreateCoupon(RequestId.random(), COUPON, new StockAmount(5)));
        var useCases = new FlashSaleUseCases(store, storeThreads, 100, 1, ClaimBatchObserver.NONE, 1);

        CompletableFuture<ClaimOutcome> writing = useCases.claim(claim("first_user")).toCompletableFuture();
        Thread.sleep(50); // the first batch is at the gate; one claim may queue behind it, not two
        CompletableFuture<ClaimOutcome> queued = useCases.claim(claim("queued_user")).toCompletableFuture();
        CompletableFuture<ClaimOutcome> refused = useCases.claim(claim("refused_user")).toCompletableFuture();

        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(com.flashsale.coupon.domain.port.in.OverloadedException.class);
        store.gate.countDown();
        assertThat(writing.get(5, TimeUnit.SECONDS)).isInstanceOf(ClaimOutcome.Claimed.class);
        assertThat(queued.get(5, TimeUnit.SECONDS)).isInstanceOf(ClaimOutcome.Claimed.class);
        assertThat(store.find(COUPON).orElseThrow().claimedBy())
                .containsExactly(new UserId("first_user"), new UserId("queued_user"));
    }
}
