package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * A finished answer: its status and its JSON body, already encoded, so that the controller and the
 * fast path of claims ({@link FastClaimHandler}) send the same bytes. {@code retryAfter} marks a
 * {@code 503 overloaded}, which carries {@code Retry-After: 1}.
 */
record JsonAnswer(int status, byte[] body, boolean retryAfter) {

    /** Seconds a refused caller should wait before sending the same request again. */
    static final String RETRY_AFTER_SECONDS = "1";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static JsonAnswer of(HttpStatus status, Object body) {
        return new JsonAnswer(status.getCode(), encode(body), false);
    }

    static JsonAnswer overloaded(Object body) {
        return new JsonAnswer(HttpStatus.SERVICE_UNAVAILABLE.getCode(), encode(body), true);
    }

    /** The same answer as a Micronaut response, for the controller. */
    MutableHttpResponse<byte[]> toResponse() {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(status))
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
        return retryAfter ? response.header("Retry-After", RETRY_AFTER_SECONDS) : response;
    }

    private static byte[] encode(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
        }
    }
}
