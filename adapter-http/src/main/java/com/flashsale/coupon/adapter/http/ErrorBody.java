package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;

/** The JSON body of every error answer: {@code {"error", "message", "field"?}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(@JsonProperty("error") String error,
                        @JsonProperty("message") String message,
                        // only invalid_request names a field; @Nullable keeps it out of the document's required list
                        @Nullable @JsonProperty("field") String field) {

    public static ErrorBody of(String error, String message) {
        return new ErrorBody(error, message, null);
    }
}
