package com.flashsale.coupon.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's idempotency key names one request: the key together with what it asks. */
class RequestIdTest {

    @Test
    void theSameKeyWithTheSameRequest_isTheSameRequest() {
        assertThat(RequestId.scoped("claim", List.of("u1", "PROMO"), "k"))
                .isEqualTo(RequestId.scoped("claim", List.of("u1", "PROMO"), "k"));
    }

    @Test
    void theSameKeyWithAnyOtherField_orAnotherOperation_isAnotherRequest() {
        RequestId claim = RequestId.scoped("claim", List.of("u1", "PROMO"), "k");

        assertThat(RequestId.scoped("claim", List.of("u2", "PROMO"), "k")).isNotEqualTo(claim);
        assertThat(RequestId.scoped("claim", List.of("u1", "OTHER"), "k")).isNotEqualTo(claim);
        assertThat(RequestId.scoped("create", List.of("u1", "PROMO"), "k")).isNotEqualTo(claim);
        assertThat(RequestId.scoped("claim", List.of("u1", "PROMO"), "k2")).isNotEqualTo(claim);
    }

    @Test
    void fieldsThatRunTogetherAlike_stayDifferentRequests() {
        assertThat(RequestId.scoped("claim", List.of("ab", "c"), "k"))
                .isNotEqualTo(RequestId.scoped("claim", List.of("a", "bc"), "k"));
    }

    @Test
    void aScopedId_isAValidRequestIdOf64HexCharacters() {
        String key = "\uD83D\uDE00".repeat(64);

        assertThat(RequestId.scoped("create", List.of("PROMO", "100"), key).value()).matches("[0-9a-f]{64}");
    }
}
