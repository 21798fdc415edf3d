package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.wire.Messages.ClaimRequest;
import com.flashsale.coupon.adapter.kafka.wire.Messages.CreateRequest;
import com.flashsale.coupon.adapter.kafka.wire.Messages.GetRequest;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import com.flashsale.coupon.adapter.kafka.worker.Disposition.Answer;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.in.TemporarilyUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Turns requests into use-case calls, and their results into dispositions. All claims of a batch
 * go to the use cases in one call, so that the claims of one coupon share a store transaction.
 *
 * <p>A claim whose deadline passed before it is applied is not applied ({@link Disposition.Expired}).
 * A request that fails has a disposition: an outage is retried, anything else is dead-lettered,
 * and so is a payload that does not decode. A use case that throws instead of failing its stage
 * throws out of {@link #handle}: the batch did not run, so it must be read again, not dead-lettered.
 */
final class RequestHandler {

    private final FlashSale useCases;
    private final RetryPolicy retryPolicy;
    private final Clock clock;

    RequestHandler(FlashSale useCases, RetryPolicy retryPolicy, Clock clock) {
        this.useCases = useCases;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
    }

    /** One disposition per request, in the order given. */
    List<CompletionStage<Disposition>> handle(List<RequestEnvelope> requests) {
        @SuppressWarnings("unchecked")
        CompletionStage<Disposition>[] dispositions = new CompletionStage[requests.size()];
        List<Integer> claimPositions = new ArrayList<>();
        List<ClaimCoupon> claims = new ArrayList<>();
        long now = clock.millis();
        for (int i = 0; i < requests.size(); i++) {
            RequestEnvelope request = requests.get(i);
            if (request.unreadable() != null) {
                dispositions[i] = CompletableFuture.completedFuture(new Disposition.DeadLetter(request, request.unreadable()));
                continue;
            }
            try {
                dispositions[i] = switch (request.kind()) {
                    case CLAIM -> {
                        if (request.deadline() < now) {
                            // its caller was told "timeout" and may never come back: no stock for it
                            yield CompletableFuture.completedFuture(new Disposition.Expired(request));
                        }
                        claims.add(claimOf(request).toDomain());
                        claimPositions.add(i);
                        yield null; // answered below, with the rest of the batch's claims
                    }
                    case CREATE -> settle(request,
                            useCases.create(Wire.read(request.payload(), CreateRequest.class).toDomain())
                                    .thenApply(Answer.Create::new));
                    case GET -> settle(request,
                            useCases.find(Wire.read(request.payload(), GetRequest.class).toDomain())
                                    .thenApply(Answer.Found::new));
                };
            } catch (Wire.MalformedMessageException poison) {
                dispositions[i] = CompletableFuture.completedFuture(new Disposition.DeadLetter(request, poison));
            }
        }
        if (!claims.isEmpty()) {
            List<CompletionStage<ClaimOutcome>> outcomes = useCases.claimAll(claims);
            for (int c = 0; c < claims.size(); c++) {
                int position = claimPositions.get(c);
                dispositions[position] = settle(requests.get(position), outcomes.get(c).thenApply(Answer.Claim::new));
            }
        }
        return Arrays.asList(dispositions);
    }

    /** The claim, decoded already when it came in a batch. */
    private static ClaimRequest claimOf(RequestEnvelope request) {
        return request.claim() != null ? request.claim() : Wire.read(request.payload(), ClaimRequest.class);
    }

    private CompletionStage<Disposition> settle(RequestEnvelope request, CompletionStage<? extends Answer> result) {
        return result.handle((answer, failure) -> {
            if (failure == null) {
                return new Disposition.Reply(request, answer);
            }
            Throwable cause = unwrap(failure);
            return cause instanceof TemporarilyUnavailableException
                    ? retryPolicy.afterOutage(request, cause)
                    : new Disposition.DeadLetter(request, cause);
        });
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
