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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Coupons} store must do. Each store's test extends this class; the in-memory
 * store and PostgreSQL run the very same cases.
 */
public abstract class CouponsContract {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    protected Coupons coupons;

    /** A store to test; may share data with earlier tests, since each test uses its own names. */
    protected abstract Coupons store();

    @BeforeEach
    void setUpStore() {
        coupons = store();
    }

    protected static CouponName uniqueName() {
        return new CouponName("C" + System.nanoTime() % 1_000_000_000 + "_" + SEQUENCE.incrementAndGet());
    }

    private CouponName created(int amount) {
        CouponName name = uniqueName();
        assertThat(coupons.add(new CreateCoupon(RequestId.random(), name, new StockAmount(amount))))
                .isInstanceOf(CreateOutcome.Created.class);
        return name;
    }

    private static ClaimCoupon claim(CouponName coupon, String user) {
        return new ClaimCoupon(RequestId.random(), new UserId(user), coupon);
    }

    private static List<String> codes(List<ClaimOutcome> outcomes) {
        return outcomes.stream()
                .map(o -> o.fold(c -> "claimed", a -> "already_claimed", s -> "sold_out", n -> "not_found"))
                .toList();
    }

    private Coupon read(CouponName name) {
        return coupons.find(name).orElseThrow();
    }

    private static List<String> users(Coupon coupon) {
        return coupon.claimedBy().stream().map(UserId::value).toList();
    }

    @Test
    void add_storesAFreshCoupon() {
        CouponName name = uniqueName();
        CreateOutcome outcome = coupons.add(new CreateCoupon(RequestId.random(), name, new StockAmount(7)));

        assertThat(outcome).isEqualTo(new CreateOutcome.Created(Coupon.fresh(name, new StockAmount(7))));
        assertThat(read(name)).isEqualTo(new Coupon(name, new StockAmount(7), 7, List.of()));
    }

    @Test
    void givenAnExistingName_addByAnotherRequest_answersAlreadyExistsAndKeepsTheFirst() {
        CouponName name = created(3);

        CreateOutcome outcome = coupons.add(new CreateCoupon(RequestId.random(), name, new StockAmount(9)));

        assertThat(outcome).isEqualTo(new CreateOutcome.AlreadyExists(name));
        assertThat(read(name).amount()).isEqualTo(new StockAmount(3));
    }

    @Test
    void givenTheSameCreateRequestTwice_theSecondAnswersCreatedAndChangesNothing() {
        CouponName name = uniqueName();
        CreateCoupon create = new CreateCoupon(RequestId.random(), name, new StockAmount(2));
        coupons.add(create);
        coupons.claimAll(name, List.of(claim(name, "u1")));

        CreateOutcome again = coupons.add(create);

        assertThat(again).isInstanceOf(CreateOutcome.Created.class);
        assertThat(((CreateOutcome.Created) again).coupon()).isEqualTo(read(name));
        assertThat(read(name).remainingAmount()).isEqualTo(1);
    }

    @Test
    void namesAreCaseSensitive() {
        CouponName lower = uniqueName();
        coupons.add(new CreateCoupon(RequestId.random(), lower, new StockAmount(1)));
        CouponName upper = new CouponName(lower.value().toUpperCase() + "X");

        assertThat(coupons.find(new CouponName(lower.value().toLowerCase()))).isEmpty();
        assertThat(coupons.find(upper)).isEmpty();
    }

    @Test
    void find_missingCoupon_isEmpty() {
        assertThat(coupons.find(uniqueName())).isEmpty();
    }

    @Test
    void claimAll_onAMissingCoupon_answersNotFoundForEveryClaim() {
        CouponName name = uniqueName();

        assertThat(codes(coupons.claimAll(name, List.of(claim(name, "a"), claim(name, "b")))))
                .containsExactly("not_found", "not_found");
        assertThat(coupons.find(name)).isEmpty();
    }

    @Test
    void claimAll_grantsAndDecrements_andFindListsHoldersInClaimOrder() {
        CouponName name = created(5);

        coupons.claimAll(name, List.of(claim(name, "zed"), claim(name, "amy")));
        coupons.claimAll(name, List.of(claim(name, "bob")));

        Coupon coupon = read(name);
        assertThat(coupon.remainingAmount()).isEqualTo(2);
        assertThat(users(coupon)).containsExactly("zed", "amy", "bob");
    }

    @Test
    void givenStockRunningOutInsideABatch_theFirstWinAndTheRestAreSoldOut() {
        CouponName name = created(2);

        List<ClaimOutcome> outcomes = coupons.claimAll(name,
                List.of(claim(name, "a"), claim(name, "b"), claim(name, "c"), claim(name, "d")));

        assertThat(codes(outcomes)).containsExactly("claimed", "claimed", "sold_out", "sold_out");
        assertThat(read(name).remainingAmount()).isZero();
        assertThat(users(read(name))).containsExactly("a", "b");
    }

    @Test
    void givenDuplicateUsersInABatch_eachUserIsGrantedOnce() {
        CouponName name = created(5);

        List<ClaimOutcome> outcomes = coupons.claimAll(name,
                List.of(claim(name, "a"), claim(name, "b"), claim(name, "a"), claim(name, "b")));

        assertThat(codes(outcomes)).containsExactly("claimed", "claimed", "already_claimed", "already_claimed");
        assertThat(read(name).remainingAmount()).isEqualTo(3);
    }

    @Test
    void givenMixedNewAndOldUsers_onlyNewUsersTakeStock() {
        CouponName name = created(3);
        coupons.claimAll(name, List.of(claim(name, "old")));

        List<ClaimOutcome> outcomes = coupons.claimAll(name,
                List.of(claim(name, "new1"), claim(name, "old"), claim(name, "new2"), claim(name, "new3")));

        assertThat(codes(outcomes)).containsExactly("claimed", "already_claimed", "claimed", "sold_out");
        assertThat(users(read(name))).containsExactly("old", "new1", "new2");
    }

    @Test
    void givenARequestSeenBefore_itAnswersClaimedAgainAndTakesNoStock() {
        CouponName name = created(3);
        ClaimCoupon first = claim(name, "a");
        coupons.claimAll(name, List.of(first));

        List<ClaimOutcome> again = coupons.claimAll(name, List.of(first, claim(name, "a")));

        assertThat(codes(again)).containsExactly("claimed", "already_claimed");
        assertThat(read(name).remainingAmount()).isEqualTo(2);
    }

    @Test
    void givenAHolderFirstInABatchThatEndsTheStock_thoseAfterItAreGrantedInItsPlace() {
        CouponName name = created(3);
        coupons.claimAll(name, List.of(claim(name, "old")));

        List<ClaimOutcome> outcomes = coupons.claimAll(name,
                List.of(claim(name, "old"), claim(name, "n1"), claim(name, "n2"), claim(name, "n3")));

        assertThat(codes(outcomes)).containsExactly("already_claimed", "claimed", "claimed", "sold_out");
        assertThat(users(read(name))).containsExactly("old", "n1", "n2");
        assertThat(read(name).remainingAmount()).isZero();
    }

    @Test
    void givenAHolderAfterTheLastUnitOfABatch_itHearsAlreadyClaimed_notSoldOut() {
        CouponName name = created(3);
        ClaimCoupon holding = claim(name, "old");
        coupons.claimAll(name, List.of(holding));

        List<ClaimOutcome> outcomes = coupons.claimAll(name, List.of(claim(name, "n1"), claim(name, "n2"),
                claim(name, "n3"), claim(name, "old"), holding));

        assertThat(codes(outcomes)).containsExactly("claimed", "claimed", "sold_out", "already_claimed", "claimed");
        assertThat(users(read(name))).containsExactly("old", "n1", "n2");
    }

    @Test
    void givenHoldersAmongABatchWithStockToSpare_onlyTheNewTakeStock_andTheirOwnRequestsAnswerClaimed() {
        CouponName name = created(10);
        ClaimCoupon first = claim(name, "a");
        coupons.claimAll(name, List.of(first, claim(name, "b")));

        List<ClaimOutcome> outcomes = coupons.claimAll(name,
                List.of(claim(name, "c"), first, claim(name, "b"), claim(name, "d"), claim(name, "c")));

        assertThat(codes(outcomes)).containsExactly("claimed", "claimed", "already_claimed", "claimed",
                "already_claimed");
        assertThat(users(read(name))).containsExactly("a", "b", "c", "d");
        assertThat(read(name).remainingAmount()).isEqualTo(6);
    }

    @Test
    void givenASoldOutCoupon_holdersHearAlreadyClaimedAndOthersSoldOut() {
        CouponName name = created(1);
        coupons.claimAll(name, List.of(claim(name, "winner")));

        assertThat(codes(coupons.claimAll(name, List.of(claim(name, "winner"), claim(name, "late")))))
                .containsExactly("already_claimed", "sold_out");
        assertThat(read(name).remainingAmount()).isZero();
    }

    @Test
    void aBatchOfAThousand_onAStockOf300_grantsExactly300InOrder() {
        CouponName name = created(300);
        List<ClaimCoupon> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(claim(name, "user-" + i));
        }

        List<String> codes = codes(coupons.claimAll(name, batch));

        assertThat(codes.subList(0, 300)).containsOnly("claimed");
        assertThat(codes.subList(300, 1000)).containsOnly("sold_out");
        Coupon coupon = read(name);
        assertThat(coupon.remainingAmount()).isZero();
        assertThat(users(coupon)).containsExactlyElementsOf(
                batch.subList(0, 300).stream().map(c -> c.userId().value()).toList());
    }

    @Test
    void holders_listsEveryHolderWithTheRequestThatMadeTheClaim() {
        CouponName name = created(5);
        ClaimCoupon a = claim(name, "a");
        ClaimCoupon b = claim(name, "b");
        coupons.claimAll(name, List.of(a, b, claim(name, "a")));

        assertThat(coupons.holders(name)).isEqualTo(java.util.Map.of(
                a.userId(), a.requestId(), b.userId(), b.requestId()));
        assertThat(coupons.holders(uniqueName())).isEmpty();
    }

    @Test
    void aBatchNamingAnotherCoupon_isRefused() {
        CouponName name = created(3);
        CouponName other = uniqueName();

        assertThatThrownBy(() -> coupons.claimAll(name, List.of(claim(name, "a"), claim(other, "b"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(read(name).remainingAmount()).isEqualTo(3);
    }

    @Test
    void concurrentBatchesOnOneCoupon_neverOversellAndGrantEachUserOnce() throws Exception {
        CouponName name = created(50);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<ClaimOutcome>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<ClaimCoupon> batch = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    // users overlap between writers, so the same user races in several batches
                    batch.add(claim(name, "user-" + ((w * 7 + i) % 60)));
                }
                futures.add(pool.submit(() -> coupons.claimAll(name, batch)));
            }
            Set<String> granted = new HashSet<>();
            int claimedAnswers = 0;
            for (Future<List<ClaimOutcome>> f : futures) {
                for (ClaimOutcome o : f.get()) {
                    if (o instanceof ClaimOutcome.Claimed c) {
                        claimedAnswers++;
                        assertThat(granted.add(c.userId().value())).as("granted twice: %s", c.userId()).isTrue();
                    }
                }
            }
            Coupon coupon = read(name);
            assertThat(claimedAnswers).isEqualTo(coupon.claimedBy().size());
            assertThat(coupon.remainingAmount()).isEqualTo(50 - claimedAnswers).isGreaterThanOrEqualTo(0);
            assertThat(Set.copyOf(users(coupon))).isEqualTo(granted);
        } finally {
            pool.shutdownNow();
        }
    }
}
