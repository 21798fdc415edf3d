package com.flashsale.coupon.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.flashsale.coupon.domain.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads request bodies strictly: one JSON object, no duplicate keys, no trailing data, and each
 * field of the JSON type it must have. Every failure names the field it is about.
 */
final class JsonBodies {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A key as it opens a member: {@code "name" :}. */
    private static final Pattern JSON_KEY = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:");

    private JsonBodies() {
    }

    /**
     * The body as one JSON object, read from its bytes as strict UTF-8: malformed bytes, overlong
     * forms and encoded surrogates are refused, naming the field they are in, never replaced by
     * U+FFFD (two different ids would then become one user).
     */
    static JsonNode object(byte[] body) {
        String text = body == null ? "" : strictUtf8(body);
        if (text.isBlank()) {
            throw new InvalidRequestException(null, "request body is empty; send a JSON object");
        }
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(null, "request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(null, "request body must be a JSON object");
        }
        return root;
    }

    private static String strictUtf8(byte[] body) {
        int bad = Utf8.firstMalformed(body);
        if (bad >= 0) {
            String field = lastKeyBefore(new String(body, 0, bad, StandardCharsets.UTF_8));
            throw new InvalidRequestException(field, (field == null ? "request body" : field)
                    + " is not valid UTF-8 (byte " + bad + ")");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The last JSON key whose value had started before the bad bytes; null when there is none. */
    private static String lastKeyBefore(String prefix) {
        Matcher key = JSON_KEY.matcher(prefix);
        String last = null;
        while (key.find()) {
            last = key.group(1);
        }
        return last;
    }

    static String text(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, field + " must be a string");
        }
        return value.textValue();
    }

    static long wholeNumber(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (!value.isNumber()) {
            throw new InvalidRequestException(field, field + " must be a number");
        }
        if (!value.isIntegralNumber()) {
            throw new InvalidRequestException(field, field + " must be a whole number");
        }
        if (!value.canConvertToLong()) {
            return value.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return value.longValue();
    }

    /** Builds a domain value, turning its refusal into an error that names the field. */
    static <T, R> R domain(String field, T raw, Function<T, R> constructor) {
        try {
            return constructor.apply(raw);
        } catch (InvalidValueException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }

    private static JsonNode present(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException(field, field + " is required");
        }
        return value;
    }
}
