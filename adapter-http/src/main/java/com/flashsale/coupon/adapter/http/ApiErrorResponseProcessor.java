package com.flashsale.coupon.adapter.http;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Gives the errors the framework answers before a controller runs (unknown route, wrong method,
 * wrong media type, body too large, unreadable body) the same JSON shape as the API's own.
 */
@Singleton
@Primary
public final class ApiErrorResponseProcessor implements ErrorResponseProcessor<ErrorBody> {

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        ErrorBody body = switch (status) {
            case BAD_REQUEST -> ErrorBody.of(ErrorCodes.INVALID_REQUEST, detail(context, "the request is malformed"));
            case NOT_FOUND -> ErrorBody.of(ErrorCodes.NOT_FOUND, "no endpoint at " + context.getRequest().getPath());
            case METHOD_NOT_ALLOWED -> ErrorBody.of(ErrorCodes.METHOD_NOT_ALLOWED,
                    context.getRequest().getMethodName() + " is not allowed on " + context.getRequest().getPath());
            case UNSUPPORTED_MEDIA_TYPE -> ErrorBody.of(ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as Content-Type: application/json");
            case NOT_ACCEPTABLE -> ErrorBody.of(ErrorCodes.NOT_ACCEPTABLE, "this endpoint answers application/json");
            case REQUEST_ENTITY_TOO_LARGE -> ErrorBody.of(ErrorCodes.PAYLOAD_TOO_LARGE,
                    "the request body is larger than the service accepts");
            default -> ErrorBody.of(status.getCode() >= 500 ? ErrorCodes.INTERNAL_ERROR : ErrorCodes.INVALID_REQUEST,
                    status.getCode() >= 500 ? "the service could not complete the request; try again later"
                            : detail(context, status.getReason()));
        };
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return response.body(null);
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    private static String detail(ErrorContext context, String fallback) {
        return context.getErrors().stream().map(Error::getMessage).findFirst().orElse(fallback);
    }
}
