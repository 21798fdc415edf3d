package com.flashsale.coupon.adapter.kafka.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Optional;

/** JSON encoding of the transport's messages (README, Topics and messages). */
public final class Wire {

    /** The schema version every message carries as {@code "v"}; a reader refuses any other. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Wire() {
    }

    public static byte[] write(Object message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a message, refusing anything that is not exactly a version-1 message of that type. */
    public static <T extends Versioned> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new MalformedMessageException("record has no value");
        }
        T message;
        try {
            message = JSON.readValue(bytes, type);
        } catch (IOException e) {
            // a message of another version may lack what version 1 requires: say which version it is
             throw new MalformedMessageException(otherVersion(bytes)
                    .orElseGet(() -> "not a " + type.getSimpleName() + ": " + originalMessage(e)));
        }
        if (message == null) {
            throw new MalformedMessageException("record value is JSON null");
        }
        if (message.version() != VERSION) {
            throw new MalformedMessageException(unsupported(message.version()));
        }
        return message;
    }

    /** Why a message whose {@code "v"} is another whole number cannot be read; empty for any other value. */
    private static Optional<String> otherVersion(byte[] bytes) {
        try {
            JsonNode version = JSON.readTree(bytes).path("v");
            return version.isIntegralNumber() && version.asLong() != VERSION
                    ? Optional.of(unsupported(version.asLong())) : Optional.empty();
        } catch (IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private static String unsupported(long version) {
        return "schema version " + version + " is not supported; this service reads version " + VERSION;
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    }

    /** Every message carries its schema version. */
    public interface Versioned {
        int version();
    }

    /** A record that can never be processed, however often it is tried. */
    public static final class MalformedMessageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MalformedMessageException(String message) {
            super(message);
        }
    }
}
