package com.flashsale.coupon.adapter.http;

import com.flashsale.coupon.domain.InvalidValueException;
import com.flashsale.coupon.domain.RequestId;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/** The request id of a create or claim, from its {@code Idempotency-Key} header when it has one. */
final class IdempotencyKeys {

    /**
     * Optional request header; a retry that repeats it with the same request is recognised and
     * answered as the first try. With another request it is simply another request.
     */
    static final String HEADER = "Idempotency-Key";

    private IdempotencyKeys() {
    }

    /**
     * A fresh id, or, with the client's key, the id of this very request: the key with the
     * operation and its fields, so that the same key on another request is another request.
     */
    static RequestId requestId(@Nullable String idempotencyKey, String operation, List<String> fields) {
        if (idempotencyKey == null) {
            return RequestId.random();
        }
        RequestId key;
        try {
            key = new RequestId(idempotencyKey);
        } catch (InvalidValueException e) {
            // the limits are a request id's; the client sent a header, and is told its name
            throw new InvalidRequestException(HEADER, HEADER + " " + e.rule());
        }
        return RequestId.scoped(operation, fields, key.value());
    }
}
