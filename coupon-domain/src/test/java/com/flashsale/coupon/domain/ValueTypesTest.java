package com.flashsale.coupon.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"PROMO_SUPER", "a", "A-b.c_9", "x123456789x123456789x123456789x123456789x123456789x123456789abcd"})
    void couponName_acceptsLettersDigitsAndPunctuationUpTo64(String value) {
        assertThat(new CouponName(value).value()).isEqualTo(value);
        assertThat(CouponName.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " PROMO", "PROMO ", "PRO MO", "PROMO/1", "PROMÖ", "x123456789x123456789x123456789x123456789x123456789x123456789abcde"})
    void couponName_rejectsEmptyOverlongSpacesAndForeignCharacters(String value) {
        assertThatThrownBy(() -> new CouponName(value))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("coupon name");
        assertThat(CouponName.isValid(value)).isFalse();
    }

    @Test
    void couponName_isCaseSensitive() {
        assertThat(new CouponName("Promo")).isNotEqualTo(new CouponName("PROMO"));
    }

    @Test
    void couponName_null_saysItIsRequired() {
        assertThatThrownBy(() -> new CouponName(null)).hasMessage("coupon name is required");
    }

    @Test
    @DisplayName("user ids count characters, not UTF-16 units: 64 emoji fit, 65 do not")
    void userId_countsCodePoints() {
        String emoji = "\uD83D\uDE00";
        assertThat(new UserId(emoji.repeat(64)).value()).hasSize(128);
        assertThatThrownBy(() -> new UserId(emoji.repeat(65))).hasMessage("user id must be at most 64 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user\n1", "user\u0000", "\u007f", "tab\there"})
    void userId_rejectsControlCharacters(String value) {
        assertThatThrownBy(() -> new UserId(value)).hasMessage("user id must not contain control characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "a\uDC00b", "x\uD83D"})
    void userId_rejectsLoneSurrogates(String value) {
        assertThatThrownBy(() -> new UserId(value)).hasMessage("user id must be valid Unicode text");
    }

    @Test
    void userId_keepsSpacesAndCase() {
        assertThat(new UserId(" User 1 ").value()).isEqualTo(" User 1 ");
    }

    @Test
    void userId_emptyIsRefused() {
        assertThatThrownBy(() -> new UserId("")).hasMessage("user id must not be empty");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 100_001, Integer.MAX_VALUE + 1L, Long.MIN_VALUE})
    void stockAmount_rejectsOutsideOneToHundredThousand(long value) {
        assertThatThrownBy(() -> StockAmount.of(value))
                .hasMessage("amount must be a whole number from 1 to 100000");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 100_000})
    void stockAmount_acceptsItsRange(int value) {
        assertThat(StockAmount.of(value).value()).isEqualTo(value);
    }

    @Test
    void requestId_randomIdsDiffer() {
        assertThat(RequestId.random()).isNotEqualTo(RequestId.random());
    }

    @Test
    void coupon_refusesRemainingOutsideItsStock() {
        CouponName name = new CouponName("C");
        assertThatThrownBy(() -> new Coupon(name, new StockAmount(2), 3, java.util.List.of()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Coupon(name, new StockAmount(2), -1, java.util.List.of()))
                .isInstanceOf(IllegalStateException.class);
    }
}
