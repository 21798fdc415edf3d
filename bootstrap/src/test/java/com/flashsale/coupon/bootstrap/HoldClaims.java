package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * Test fault: the worker's store never answers the claims of coupons whose names start with
 * {@code test.hold-claims-of}, as if its database call hung, and takes no stock for them; every
 * other claim is served as usual. {@link #held} counts down when the first such claim arrives.
 */
@Singleton
@Requires(property = "test.hold-claims-of")
final class HoldClaims extends WorkerClaimFault {

    final CountDownLatch held = new CountDownLatch(1);
    private final String prefix;

    HoldClaims(@Property(name = "test.hold-claims-of") String prefix) {
        this.prefix = prefix;
    }

    @Override
    List<CompletionStage<ClaimOutcome>> claimAll(FlashSale real, List<ClaimCoupon> commands) {
        List<ClaimCoupon> served = commands.stream().filter(command -> !isHeld(command)).toList();
        List<CompletionStage<ClaimOutcome>> answers = served.isEmpty() ? List.of() : real.claimAll(served);
        List<CompletionStage<ClaimOutcome>> results = new ArrayList<>(commands.size());
        int next = 0;
        for (ClaimCoupon command : commands) {
            if (isHeld(command)) {
                results.add(new CompletableFuture<>()); // never answered
                held.countDown();
            } else {
                results.add(answers.get(next++));
            }
        }
        return results;
    }

    private boolean isHeld(ClaimCoupon command) {
        return command.couponName().value().startsWith(prefix);
    }
}
