package com.flashsale.coupon.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimBatchRuleTest {

    private static final CouponName COUPON = new CouponName("PROMO");

    private static ClaimCoupon claim(String user, String request) {
        return new ClaimCoupon(new RequestId(request), new UserId(user), COUPON);
    }

    private static List<String> codes(List<ClaimOutcome> outcomes) {
        return outcomes.stream()
                .map(o -> o.fold(c -> "claimed", a -> "already_claimed", s -> "sold_out", n -> "not_found"))
                .toList();
    }

    @Test
    void givenEnoughStock_everyNewUserIsGrantedInOrder() {
        var decision = ClaimBatchRule.decide(5, Map.of(), List.of(claim("a", "1"), claim("b", "2")));

        assertThat(codes(decision.outcomes())).containsExactly("claimed", "claimed");
        assertThat(decision.grants()).extracting(ClaimCoupon::userId)
                .containsExactly(new UserId("a"), new UserId("b"));
    }

    @Test
    void givenStockRunningOutInsideTheBatch_theFirstUsersWinAndTheRestAreSoldOut() {
        var decision = ClaimBatchRule.decide(2, Map.of(),
                List.of(claim("a", "1"), claim("b", "2"), claim("c", "3"), claim("d", "4")));

        assertThat(codes(decision.outcomes())).containsExactly("claimed", "claimed", "sold_out", "sold_out");
        assertThat(decision.grants()).hasSize(2);
    }

    @Test
    void givenNoStock_everyoneIsSoldOut_butHoldersStillHearAlreadyClaimed() {
        var decision = ClaimBatchRule.decide(0, Map.of(new UserId("a"), new RequestId("old")),
                List.of(claim("a", "new"), claim("b", "2")));

        assertThat(codes(decision.outcomes())).containsExactly("already_claimed", "sold_out");
        assertThat(decision.grants()).isEmpty();
    }

    @Test
    void givenAUserTwiceInOneBatch_onlyTheFirstIsGranted() {
        var decision = ClaimBatchRule.decide(5, Map.of(), List.of(claim("a", "1"), claim("a", "2")));

        assertThat(codes(decision.outcomes())).containsExactly("claimed", "already_claimed");
        assertThat(decision.grants()).hasSize(1);
    }

    @Test
    void givenTheSameRequestTwiceInOneBatch_bothCopiesHearClaimed_andOneIsGranted() {
        var decision = ClaimBatchRule.decide(5, Map.of(), List.of(claim("a", "1"), claim("a", "1")));

        assertThat(codes(decision.outcomes())).containsExactly("claimed", "claimed");
        assertThat(decision.grants()).hasSize(1);
    }

    @Test
    void givenARedeliveredRequestWhoseClaimIsStored_itHearsClaimedAndTakesNoStock() {
        var decision = ClaimBatchRule.decide(1, Map.of(new UserId("a"), new RequestId("1")),
                List.of(claim("a", "1"), claim("b", "2")));

        assertThat(codes(decision.outcomes())).containsExactly("claimed", "claimed");
        assertThat(decision.grants()).extracting(ClaimCoupon::userId).containsExactly(new UserId("b"));
    }

    @Test
    void givenAUserSoldOutEarlierInTheBatch_theirSecondTryIsSoldOutToo() {
        var decision = ClaimBatchRule.decide(1, Map.of(),
                List.of(claim("a", "1"), claim("b", "2"), claim("b", "3")));

        assertThat(codes(decision.outcomes())).containsExactly("claimed", "sold_out", "sold_out");
    }

    @Test
    void givenMixedNewAndOldUsers_onlyNewUsersTakeStock() {
        var decision = ClaimBatchRule.decide(2, Map.of(new UserId("old"), new RequestId("x")),
                List.of(claim("new1", "1"), claim("old", "2"), claim("new2", "3"), claim("new3", "4")));

        assertThat(codes(decision.outcomes()))
                .containsExactly("claimed", "already_claimed", "claimed", "sold_out");
    }

    @Test
    void aBatchOfAThousandOnStockOf300_grantsExactly300() {
        List<ClaimCoupon> claims = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            claims.add(claim("u" + i, "r" + i));
        }
        var decision = ClaimBatchRule.decide(300, Map.of(), claims);

        assertThat(decision.grants()).hasSize(300);
        assertThat(decision.grants().get(299).userId()).isEqualTo(new UserId("u299"));
        assertThat(codes(decision.outcomes()).stream().filter("sold_out"::equals)).hasSize(700);
    }

    @Test
    void aBatchNamingTwoCoupons_isRefused() {
        var other = new ClaimCoupon(new RequestId("2"), new UserId("b"), new CouponName("OTHER"));
        assertThatThrownBy(() -> ClaimBatchRule.decide(5, Map.of(), List.of(claim("a", "1"), other)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notFound_answersEveryClaimWithCouponNotFound() {
        assertThat(codes(ClaimBatchRule.notFound(List.of(claim("a", "1"), claim("b", "2")))))
                .containsExactly("not_found", "not_found");
    }
}
