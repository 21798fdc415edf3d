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
import com.flashsale.coupon.domain.port.out.Coupons;
import com.flashsale.coupon.domain.port.out.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlashSaleUseCasesTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final GatedCoupons store = new GatedCoupons(new InMemoryCoupons());
    private final FlashSaleUseCases flashSale = new FlashSaleUseCases(store, executor, 100);

    @AfterEach
    void stop() {
        store.open();
        executor.shutdownNow();
    }

    private static ClaimCoupon claim(CouponName coupon, String user) {
        return new ClaimCoupon(RequestId.random(), new UserId(user), coupon);
    }

    private CouponName created(String name, int amount) throws Exception {
        CouponName coupon = new CouponName(name);
        flashSale.create(new CreateCoupon(RequestId.random(), coupon, new StockAmount(amount)))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        return coupon;
    }

    @Test
    void create_thenFind_showsTheFreshCoupon() throws Exception {
        CouponName name = created("PROMO", 3);

        Optional<Coupon> found = flashSale.find(name).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(found).contains(Coupon.fresh(name, new StockAmount(3)));
    }

    @Test
    void createTwiceByDifferentRequests_answersAlreadyExists() throws Exception {
        CouponName name = created("PROMO", 3);

        CreateOutcome again = flashSale.create(new CreateCoupon(RequestId.random(), name, new StockAmount(3)))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(again).isEqualTo(new CreateOutcome.AlreadyExists(name));
    }

    @Test
    void givenClaimsArrivingWhileABatchIsWritten_theyShareTheNextBatch() throws Exception {
        CouponName name = created("HOT", 100);
        store.close();
        List<CompletableFuture<ClaimOutcome>> results = new ArrayList<>();
        results.add(flashSale.claim(claim(name, "first")).toCompletableFuture());
        store.awaitBlockedWriter();
        for (int i = 0; i < 9; i++) {
            results.add(flashSale.claim(claim(name, "user-" + i)).toCompletableFuture());
        }

        store.open();
        for (CompletableFuture<ClaimOutcome> r : results) {
            assertThat(r.get(5, TimeUnit.SECONDS)).isInstanceOf(ClaimOutcome.Claimed.class);
        }

        assertThat(store.batchSizes).containsExactly(1, 9);
    }

    /**
     * One caller hands over many claims of one coupon at a time (as the Kafka worker does with a
     * poll), again and again, while the coupon's batches finish and its lane leaves the map and
     * comes back. A claim that went into a lane which then left the map must still be written:
     * it once waited forever, when a later claim of the same call went into the lane that
     * replaced it and only that one was started.
     */
    @Test
    void claimsHandedOverTogether_whileTheLaneComesAndGoes_areAllAnswered() throws Exception {
        InMemoryCoupons fast = new InMemoryCoupons();
        FlashSaleUseCases pipelined = new FlashSaleUseCases(fast, executor, 100, 2, ClaimBatchObserver.NONE);
        CouponName name = new CouponName("CHURN");
        fast.add(new CreateCoupon(RequestId.random(), name, new StockAmount(100_000)));
        List<CompletableFuture<ClaimOutcome>> results = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 40_000; round++) {
            List<ClaimCoupon> together = List.of(claim(name, "user-" + round + "-a"), claim(name, "user-" + round + "-b"));
            pipelined.claimAll(together).forEach(stage -> results.add(stage.toCompletableFuture()));
            // a pause of a few microseconds, about as long as a batch takes: the lane often goes idle mid-call
            long until = System.nanoTime() + random.nextInt(20_000);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }

        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (results.stream().anyMatch(r -> !r.isDone()) && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(results.stream().filter(r -> !r.isDone()).count()).as("claims never answered").isZero();
        assertThat(results).allSatisfy(r -> assertThat(r.join()).isInstanceOf(ClaimOutcome.Claimed.class));
        assertThat(fast.find(name).orElseThrow().remainingAmount()).isEqualTo(100_000 - results.size());
    }

    @Test
    void batchesNeverExceedTheirCap() throws Exception {
        FlashSaleUseCases capped = new FlashSaleUseCases(store, executor, 4);
        CouponName name = created("CAPPED", 100);
        store.close();
        List<CompletableFuture<ClaimOutcome>> results = new ArrayList<>();
        results.add(capped.claim(claim(name, "first")).toCompletableFuture());
        store.awaitBlockedWriter();
        for (int i = 0; i < 10; i++) {
            results.add(capped.claim(claim(name, "user-" + i)).toCompletableFuture());
        }
        store.open();
        for (CompletableFuture<ClaimOutcome> r : results) {
            r.get(5, TimeUnit.SECONDS);
        }

        assertThat(store.batchSizes).containsExactly(1, 4, 4, 2);
    }

    @Test
    void withTwoBatchesInFlight_aSecondBatchStartsWhileTheFirstIsWritten_andStockStaysExact() throws Exception {
        FlashSaleUseCases pipelined = new FlashSaleUseCases(store, executor, 100, 2, ClaimBatchObserver.NONE);
        CouponName name = created("PIPE", 5);
        store.close();
        List<CompletableFuture<ClaimOutcome>> results = new ArrayList<>();
        results.add(pipelined.claim(claim(name, "first")).toCompletableFuture());
        store.awaitBlockedWriter();
        for (int i = 0; i < 9; i++) {
            results.add(pipelined.claim(claim(name, "user-" + i)).toCompletableFuture());
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.batchSizes.size() < 2 && System.nanoTime() < giveUp) {
            Thread.sleep(10); // the second batch starts and parks at the gate beside the first
        }
        assertThat(store.batchSizes).hasSize(2);

        store.open();
        long claimed = 0;
        long soldOut = 0;
        for (CompletableFuture<ClaimOutcome> r : results) {
            ClaimOutcome outcome = r.get(5, TimeUnit.SECONDS);
            claimed += outcome instanceof ClaimOutcome.Claimed ? 1 : 0;
            soldOut += outcome instanceof ClaimOutcome.SoldOut ? 1 : 0;
        }
        // once a batch says sold out, the rest may be answered by the sold-out path, not a batch
        assertThat(claimed).isEqualTo(5);
        assertThat(soldOut).isEqualTo(5);
        assertThat(store.find(name).orElseThrow().remainingAmount()).isZero();
    }

    @Test
    void aBlockedCoupon_doesNotHoldUpClaimsOfAnotherCoupon() throws Exception {
        CouponName hot = created("HOT", 10);
        CouponName cold = created("COLD", 10);
        store.blockOnly(hot);
        store.close();
        CompletableFuture<ClaimOutcome> hotClaim = flashSale.claim(claim(hot, "a")).toCompletableFuture();
        store.awaitBlockedWriter();

        ClaimOutcome coldOutcome = flashSale.claim(claim(cold, "b")).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(coldOutcome).isInstanceOf(ClaimOutcome.Claimed.class);
        assertThat(hotClaim).isNotDone();
        store.open();
        assertThat(hotClaim.get(5, TimeUnit.SECONDS)).isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void givenAStoreOutage_everyClaimOfTheBatchFails_andTheNextBatchWorks() throws Exception {
        CouponName name = created("FLAKY", 10);
        store.failNext = true;

        CompletableFuture<ClaimOutcome> failed = flashSale.claim(claim(name, "a")).toCompletableFuture();

        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(flashSale.claim(claim(name, "a")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ClaimOutcome.Claimed.class);
    }

    @Test
    void claimAll_putsOneCouponsClaimsInOneBatch_andAnswersEachInOrder() throws Exception {
        CouponName hot = created("HOT", 3);
        CouponName cold = created("COLD", 10);
        List<ClaimCoupon> claims = List.of(claim(hot, "a"), claim(cold, "x"), claim(hot, "b"), claim(hot, "a"),
                claim(hot, "c"), claim(hot, "d"));

        List<String> codes = new ArrayList<>();
        for (var stage : flashSale.claimAll(claims)) {
            codes.add(stage.toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .fold(c -> "claimed", a -> "already_claimed", s -> "sold_out", n -> "not_found"));
        }

        assertThat(codes).containsExactly("claimed", "claimed", "claimed", "already_claimed", "claimed", "sold_out");
        assertThat(store.batchSizes).containsExactlyInAnyOrder(5, 1);
    }

    @Test
    void givenASoldOutCoupon_claimsAreAnsweredWithoutAnotherStoreBatch_andStillRight() throws Exception {
        CouponName name = created("GONE", 2);
        ClaimCoupon first = claim(name, "a");
        flashSale.claim(first).toCompletableFuture().get(5, TimeUnit.SECONDS);
        flashSale.claim(claim(name, "b")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(flashSale.claim(claim(name, "c")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ClaimOutcome.SoldOut.class);
        int batchesWhenSoldOut = store.batchSizes.size();

        ClaimOutcome holderAgain = flashSale.claim(claim(name, "a")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        ClaimOutcome redelivered = flashSale.claim(first).toCompletableFuture().get(5, TimeUnit.SECONDS);
        ClaimOutcome stranger = flashSale.claim(claim(name, "d")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<String> many = new ArrayList<>();
        for (var stage : flashSale.claimAll(List.of(claim(name, "b"), claim(name, "e")))) {
            many.add(stage.toCompletableFuture().get(5, TimeUnit.SECONDS).getClass().getSimpleName());
        }

        assertThat(holderAgain).isInstanceOf(ClaimOutcome.AlreadyClaimed.class);
        assertThat(redelivered).isInstanceOf(ClaimOutcome.Claimed.class);
        assertThat(stranger).isInstanceOf(ClaimOutcome.SoldOut.class);
        assertThat(many).containsExactly("AlreadyClaimed", "SoldOut");
        assertThat(store.batchSizes).hasSize(batchesWhenSoldOut);
        assertThat(store.holderReads).isEqualTo(1);
    }

    @Test
    void manyRacingClaims_grantExactlyTheStock() throws Exception {
        CouponName name = created("RACE", 50);
        List<CompletableFuture<ClaimOutcome>> results = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            results.add(flashSale.claim(claim(name, "user-" + i)).toCompletableFuture());
        }
        long claimed = 0;
        for (CompletableFuture<ClaimOutcome> r : results) {
            if (r.get(5, TimeUnit.SECONDS) instanceof ClaimOutcome.Claimed) {
                claimed++;
            }
        }

        assertThat(claimed).isEqualTo(50);
        assertThat(flashSale.find(name).toCompletableFuture().get().orElseThrow().remainingAmount()).isZero();
    }

    /** A store that can hold its writers at a gate, fail once, and records each batch's size. */
    private static final class GatedCoupons implements Coupons {
        private final Coupons delegate;
        private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final CountDownLatch writerBlocked = new CountDownLatch(1);
        private volatile CouponName only;
        private volatile boolean failNext;
        private volatile int holderReads;

        GatedCoupons(Coupons delegate) {
            this.delegate = delegate;
        }

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        void blockOnly(CouponName coupon) {
            only = coupon;
        }

        void awaitBlockedWriter() throws InterruptedException {
            assertThat(writerBlocked.await(5, TimeUnit.SECONDS)).isTrue();
            // the writer is parked on the gate; claims submitted from here on must queue
        }

        @Override
        public CreateOutcome add(CreateCoupon command) {
            return delegate.add(command);
        }

        @Override
        public List<ClaimOutcome> claimAll(CouponName coupon, List<ClaimCoupon> claims) {
            if (failNext) {
                failNext = false;
                throw new StoreUnavailableException("database down", null);
            }
            batchSizes.add(claims.size());
            if (only == null || only.equals(coupon)) {
                writerBlocked.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return delegate.claimAll(coupon, claims);
        }

        @Override
        public Optional<Coupon> find(CouponName name) {
            return delegate.find(name);
        }

        @Override
        public java.util.Map<UserId, RequestId> holders(CouponName coupon) {
            holderReads++;
            return delegate.holders(coupon);
        }
    }
}
