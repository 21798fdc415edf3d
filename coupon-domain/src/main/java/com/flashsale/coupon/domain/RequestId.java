package com.flashsale.coupon.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Identifies one create or claim request across redeliveries, so that applying it twice has the
 * effect of applying it once. 1–64 characters, no control characters.
 */
public record RequestId(String value) {

    public static final int MAX_LENGTH = 64;

    public RequestId {
        Text.requirePrintable(Text.requireLength(value, "request id", MAX_LENGTH), "request id");
    }

    /**
     * The id of a request a client named with its own key: a digest of the operation, the request's
     * fields and the key, so that the same key sent with another request is another request, never
     * answered with the first one's success. 64 hex characters (SHA-256).
     */
    public static RequestId scoped(String operation, List<String> fields, String clientKey) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        // each part is length-prefixed, so that no two different requests run together alike
        for (String part : concat(operation, fields, clientKey)) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha256.update(bytes);
        }
        return new RequestId(HexFormat.of().formatHex(sha256.digest()));
    }

    private static List<String> concat(String operation, List<String> fields, String clientKey) {
        List<String> parts = new ArrayList<>(fields.size() + 2);
        parts.add(operation);
        parts.addAll(fields);
        parts.add(clientKey);
        return parts;
    }

    /** A fresh id, for a request whose client sent none. */
    public static RequestId random() {
        return new RequestId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
