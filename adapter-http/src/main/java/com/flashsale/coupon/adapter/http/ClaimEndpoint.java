package com.flashsale.coupon.adapter.http;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/coupons/claim} from its body and {@code Idempotency-Key} to its answer: parse,
 * call the {@link FlashSale} port, map the outcome. One place for both ways a claim arrives, the
 * controller and the fast path ({@link FastClaimHandler}), so that both answer alike.
 */
@Singleton
final class ClaimEndpoint {

    private final FlashSale flashSale;

    ClaimEndpoint(FlashSale flashSale) {
        this.flashSale = flashSale;
    }

    CompletionStage<JsonAnswer> answer(@Nullable byte[] body, @Nullable String idempotencyKey) {
        ClaimCoupon claim;
        try {
            ClaimCouponRequest parsed = ClaimCouponRequest.parse(body);
            claim = parsed.toDomain(IdempotencyKeys.requestId(idempotencyKey, "claim",
                    List.of(parsed.userId(), parsed.couponName())));
        } catch (InvalidRequestException e) {
            return CompletableFuture.completedFuture(JsonAnswer.of(HttpStatus.BAD_REQUEST, e.toBody()));
        }
        return Answers.answer(flashSale.claim(claim), () -> "claim " + claim.couponName() + " for " + claim.userId(),
                claim.requestId(), ClaimEndpoint::answer);
    }

    static JsonAnswer answer(ClaimOutcome outcome) {
        return outcome.fold(
                claimed -> JsonAnswer.of(HttpStatus.OK, ClaimResponse.from(claimed)),
                already -> Answers.errorAnswer(HttpStatus.CONFLICT, ErrorCodes.ALREADY_CLAIMED,
                        "user " + already.userId() + " already holds coupon " + already.couponName()),
                soldOut -> Answers.errorAnswer(HttpStatus.CONFLICT, ErrorCodes.SOLD_OUT,
                        "coupon " + soldOut.couponName() + " is sold out"),
                missing -> Answers.errorAnswer(HttpStatus.NOT_FOUND, ErrorCodes.COUPON_NOT_FOUND,
                        CouponController.notFoundMessage(missing.couponName().value())));
    }
}
