package com.flashsale.coupon.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

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

    /**
     * A fresh id, for a request whose client sent none: a UUID-shaped value never given before.
     * 128 bits are drawn at random once per process and a counter is added to them, so an id costs
     * no draw from the secure random source (a lock and a system call each, measured on the hot
     * path). Unguessable ids are not needed: a client can never send a request id of its own,
     * only a key that is hashed into a 64-character id ({@link #scoped}), never UUID-shaped.
     */
    public static RequestId random() {
        return new RequestId(new UUID(Fresh.HIGH, Fresh.LOW + Fresh.COUNTER.getAndIncrement()).toString());
    }

    /** This process's random base for {@link #random()}, made on first use. */
    private static final class Fresh {
        private static final long HIGH;
        private static final long LOW;
        private static final AtomicLong COUNTER = new AtomicLong();

        static {
            SecureRandom random = new SecureRandom();
            HIGH = random.nextLong();
            LOW = random.nextLong();
        }

        private Fresh() {
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
