package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A plain HTTP client for the coupon API, as a user's program would call it. */
final class ApiClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, headers and the parsed JSON body (null when the body is empty). */
    record Answer(int status, JsonNode body, Map<String, java.util.List<String>> headers, String raw) {
        String error() {
            return body == null || body.get("error") == null ? null : body.get("error").asText();
        }

        String field() {
            return body == null || body.get("field") == null ? null : body.get("field").asText();
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }
    }

    private final URI base;
    private final ExecutorService executor = Executors.newFixedThreadPool(32);
    private final HttpClient http;

    /** One request and its answer, as sent and received, for a check against the API document. */
    record Exchange(String method, String path, Map<String, String> headers, String body, Answer answer) {
    }

    /** Every exchange so far, in the order answered, when recording; null when not. */
    private final List<Exchange> exchanges;
    private final Map<HttpRequest, Exchange> sending = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** Sent as a bearer token on creates, when the service under test has an ADMIN_TOKEN. */
    private final String adminToken;

    ApiClient(URI base) {
        this(base, null);
    }

    ApiClient(URI base, String adminToken) {
        this(base, adminToken, false);
    }

    /** With {@code record}, keeps every exchange for {@link #exchanges()}. */
    ApiClient(URI base, String adminToken, boolean record) {
        this.base = base;
        this.adminToken = adminToken;
        this.exchanges = record ? java.util.Collections.synchronizedList(new java.util.ArrayList<>()) : null;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    Answer createCoupon(String name, int amount) {
        return post("/api/coupons", json(Map.of("name", name, "amount", amount)));
    }

    Answer claim(String user, String coupon) {
        return post("/api/coupons/claim", json(Map.of("user_id", user, "coupon_name", coupon)));
    }

    CompletableFuture<Answer> claimAsync(String user, String coupon) {
        return sendAsync(request("/api/coupons/claim", "application/json", json(Map.of("user_id", user,
                "coupon_name", coupon)), Map.of()));
    }

    CompletableFuture<Answer> createAsync(String name, int amount) {
        return sendAsync(request("/api/coupons", "application/json", json(Map.of("name", name, "amount", amount)),
                Map.of()));
    }

    Answer get(String path) {
        return get(path, Map.of());
    }

    Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(builder::header);
        return send(noted(builder.build(), null));
    }

    Answer coupon(String name) {
        return get("/api/coupons/" + name);
    }

    /**
     * The body of a coupon that must be there: any other answer (a 500 while a restarted server is
     * not yet in use again, say) fails as an assertion that shows it, never as a null further on.
     */
    JsonNode existingCoupon(String name) {
        Answer answer = coupon(name);
        assertThat(answer.status()).as("GET /api/coupons/%s answered %s", name, answer.raw()).isEqualTo(200);
        return answer.body();
    }

    /**
     * Waits until the service reports UP again: after a server it needs was restarted, its pool may
     * still be in a back-off before it reconnects, and a request sent then fails (or, in
     * event-driven mode, runs through its retries to a dead letter).
     */
    void awaitHealthy() {
        TestService.awaitHealthy(base);
    }

    Answer post(String path, String body) {
        return post(path, "application/json", body, Map.of());
    }

    /** Posts a JSON body as the bytes given, valid UTF-8 or not. */
    Answer postBytes(String path, byte[] body) {
        return send(noted(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                new String(body, java.nio.charset.StandardCharsets.UTF_8)));
    }

    Answer post(String path, String contentType, String body, Map<String, String> headers) {
        return send(request(path, contentType, body, headers));
    }

    private HttpRequest request(String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (adminToken != null && path.equals("/api/coupons") && !headers.containsKey("Authorization")) {
            builder.header("Authorization", "Bearer " + adminToken);
        }
        headers.forEach(builder::header);
        return noted(builder.build(), body);
    }

    /** Remembers what {@code request} carries, when recording, to keep it with its answer. */
    private HttpRequest noted(HttpRequest request, String body) {
        if (exchanges != null) {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
            String path = request.uri().getRawPath() + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery());
            sending.put(request, new Exchange(request.method(), path, headers, body, null));
        }
        return request;
    }

    private Answer recorded(HttpRequest request, Answer answer) {
        Exchange sent = sending.remove(request);
        if (sent != null) {
            exchanges.add(new Exchange(sent.method(), sent.path(), sent.headers(), sent.body(), answer));
        }
        return answer;
    }

    /** What was exchanged so far (recording clients only). */
    List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(HttpRequest request) {
        try {
            return recorded(request, toAnswer(http.send(request, HttpResponse.BodyHandlers.ofString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<Answer> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(ApiClient::toAnswer)
                .thenApply(answer -> recorded(request, answer));
    }

    private static Answer toAnswer(HttpResponse<String> response) {
        JsonNode body = null;
        String raw = response.body();
        boolean json = response.headers().firstValue("Content-Type").map(t -> t.startsWith("application/json"))
                .orElse(true);
        if (json && raw != null && !raw.isBlank()) {
            try {
                body = JSON.readTree(raw);
            } catch (IOException e) {
                throw new AssertionError("answer " + response.statusCode() + " is not JSON: " + raw, e);
            }
        }
        return new Answer(response.statusCode(), body, response.headers().map(), raw);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
