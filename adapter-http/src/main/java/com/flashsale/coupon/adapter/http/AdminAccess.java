package com.flashsale.coupon.adapter.http;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may create coupons and use the operator's views (metrics, health details). With
 * {@code ADMIN_TOKEN} set, a create needs
 * {@code Authorization: Bearer <token>}: missing is {@code 401 unauthorized}, wrong is
 * {@code 403 forbidden}. Unset, creating stays open, and the service says so once at start-up
 * (hence made with the context, not at the first request).
 * Claims and reads are always open.
 */
@Context
public final class AdminAccess {

    /** The security scheme's name in the OpenAPI document. */
    public static final String SCHEME = "adminToken";
    /** The property ADMIN_TOKEN maps to. */
    public static final String PROPERTY = "coupons.admin-token";

    private static final Logger LOG = LoggerFactory.getLogger(AdminAccess.class);
    private static final String BEARER = "Bearer ";

    /** SHA-256 of the token; null when creating is open. */
    private final byte[] tokenDigest;

    AdminAccess(@Nullable @Value("${" + PROPERTY + ":}") String token) {
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token);
        if (tokenDigest == null) {
            LOG.warn("ADMIN_TOKEN is not set: anyone who reaches this service can create coupons");
        }
    }

    /**
     * The answer that refuses an admin request with this {@code Authorization} header, naming what
     * was asked for ({@code what}: "creating a coupon", "GET /prometheus"); empty when it may go on.
     */
    public Optional<HttpResponse<?>> refusal(@Nullable String authorization, String what) {
        if (tokenDigest == null) {
            return Optional.empty();
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(HttpResponse.status(HttpStatus.UNAUTHORIZED)
                    .header("WWW-Authenticate", "Bearer realm=\"coupon-admin\"")
                    .body(ErrorBody.of(ErrorCodes.UNAUTHORIZED, what + " needs Authorization: Bearer <ADMIN_TOKEN>")));
        }
        // digests of equal length, compared in constant time: the comparison tells nothing of the token
        byte[] given = sha256(authorization.substring(BEARER.length()).trim());
        if (!MessageDigest.isEqual(given, tokenDigest)) {
            return Optional.of(Answers.error(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                    "this bearer token is not the ADMIN_TOKEN that " + what + " needs"));
        }
        return Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
