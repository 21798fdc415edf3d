package com.flashsale.coupon.adapter.http;

import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import com.flashsale.coupon.domain.port.in.OverloadedException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a port's stage into an HTTP answer, including the answers for outages and deadlines. */
final class Answers {

    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private Answers() {
    }

    static <T> CompletionStage<HttpResponse<?>> handle(CompletionStage<T> stage, String what, RequestId requestId,
                                                      Function<T, HttpResponse<?>> onSuccess) {
        return stage.handle((value, failure) -> {
            if (failure == null) {
                return onSuccess.apply(value);
            }
            return failed(() -> what, requestId, failure).toResponse();
        });
    }

    /** As {@link #handle}, to an encoded answer; {@code what} (for the log) is only made when it fails. */
    static <T> CompletionStage<JsonAnswer> answer(CompletionStage<T> stage, Supplier<String> what, RequestId requestId,
                                                 Function<T, JsonAnswer> onSuccess) {
        return stage.handle((value, failure) -> failure == null ? onSuccess.apply(value)
                : failed(what, requestId, failure));
    }

    static HttpResponse<?> error(HttpStatus status, String code, String message) {
        return HttpResponse.status(status).body(ErrorBody.of(code, message));
    }

    static JsonAnswer errorAnswer(HttpStatus status, String code, String message) {
        return JsonAnswer.of(status, ErrorBody.of(code, message));
    }

    private static JsonAnswer failed(Supplier<String> what, RequestId knownRequestId, Throwable failure) {
        Object requestId = knownRequestId == null ? "-" : knownRequestId;
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof OverloadedException) {
            // refused before any work: no log line per request, which would only add to the load
            return JsonAnswer.overloaded(ErrorBody.of(ErrorCodes.OVERLOADED, "the service is at capacity and took"
                    + " none of this request; send it again after the Retry-After delay"));
        }
        if (cause instanceof OutcomeUnknownException) {
            LOG.warn("no answer in time to {} (request {}): {}", what.get(), requestId, cause.getMessage());
            return errorAnswer(HttpStatus.GATEWAY_TIMEOUT, ErrorCodes.TIMEOUT,
                    "no answer came before the deadline, so the outcome is unknown; repeating the same"
                            + " request is safe: a claim that already succeeded answers already_claimed,"
                            + " or claimed again when the same Idempotency-Key is sent");
        }
        LOG.error("failed to {} (request {})", what.get(), requestId, cause);
        return errorAnswer(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                "the service could not complete the request; try again later");
    }
}
