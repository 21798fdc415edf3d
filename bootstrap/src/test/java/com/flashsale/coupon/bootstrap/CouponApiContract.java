package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP contract of the README's API section, checked over the wire against the running application. It knows
 * nothing of the transport behind the port: each subclass is a {@code @MicronautTest} whose
 * properties choose it, on the servers {@link TestInfrastructure} provides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class CouponApiContract {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Inject
    EmbeddedServer server;

    @Inject
    Router router;

    protected ApiClient api;

    /** The suite runs with ADMIN_TOKEN set: creates carry it, and the cases below check the refusals. */
    static final String ADMIN_TOKEN = "contract-admin-token";

    @BeforeAll
    void connect() {
        TestService.awaitHealthy(server.getURI());
        api = new ApiClient(server.getURI(), ADMIN_TOKEN, true);
    }

    /** The properties every subclass adds: the admin token. */
    static Map<String, Object> withAdminToken(Map<String, Object> properties) {
        properties.put("coupons.admin-token", ADMIN_TOKEN);
        return properties;
    }

    @AfterAll
    void disconnect() {
        if (api != null) {
            api.close();
        }
        TestService.stopServerFirst(server);
    }

    static String uniqueName(String prefix) {
        return prefix + "_" + System.nanoTime() % 100_000_000 + "_" + SEQUENCE.incrementAndGet();
    }

    private static List<String> claimedBy(Answer coupon) {
        List<String> users = new ArrayList<>();
        coupon.body().get("claimed_by").forEach(node -> users.add(node.asText()));
        return users;
    }

    private static void assertError(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.error()).as(answer.raw()).isEqualTo(code);
        assertThat(answer.body().get("message").asText()).isNotBlank();
        assertThat(answer.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    // --- create --------------------------------------------------------------------------------

    @Test
    void create_answers201WithTheCouponAndItsLocation() {
        String name = uniqueName("PROMO");

        Answer created = api.createCoupon(name, 100);

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/coupons/" + name);
        assertThat(created.body()).isEqualTo(api.existingCoupon(name));
        assertThat(created.body().get("remaining_amount").asInt()).isEqualTo(100);
        assertThat(created.body().get("claimed_by").isArray()).isTrue();
    }

    @Test
    void create_aNameThatExists_answers409CouponExists() {
        String name = uniqueName("DUP");
        api.createCoupon(name, 1);

        assertError(api.createCoupon(name, 5), 409, "coupon_exists");
        assertThat(api.existingCoupon(name).get("amount").asInt()).isEqualTo(1);
    }

    @Test
    void namesAreCaseSensitive() {
        String name = uniqueName("Case");
        api.createCoupon(name, 1);

        assertThat(api.createCoupon(name.toUpperCase(), 1).status()).isEqualTo(201);
        assertThat(api.coupon(name.toLowerCase()).status()).isEqualTo(404);
    }

    static Stream<Arguments> invalidCreateBodies() {
        String tooLong = "N".repeat(65);
        return Stream.of(
                Arguments.of("{\"name\": \"X\", \"amount\": ", null),
                Arguments.of("", null),
                Arguments.of("[1, 2]", null),
                Arguments.of("\"just a string\"", null),
                Arguments.of("{\"name\": \"X\", \"amount\": 5} trailing", null),
                Arguments.of("{\"name\": \"X\", \"name\": \"Y\", \"amount\": 5}", null),
                Arguments.of("{\"amount\": 5}", "name"),
                Arguments.of("{\"name\": null, \"amount\": 5}", "name"),
                Arguments.of("{\"name\": 42, \"amount\": 5}", "name"),
                Arguments.of("{\"name\": \"\", \"amount\": 5}", "name"),
                Arguments.of("{\"name\": \"has space\", \"amount\": 5}", "name"),
                Arguments.of("{\"name\": \" PADDED\", \"amount\": 5}", "name"),
                Arguments.of("{\"name\": \"slash/name\", \"amount\": 5}", "name"),
                Arguments.of("{\"name\": \"" + tooLong + "\", \"amount\": 5}", "name"),
                Arguments.of("{\"name\": \"NAME\"}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": null}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": \"100\"}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": 1.5}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": 2.0}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": 1e3}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": true}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": 0}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": -5}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": 100001}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": 4294967297}", "amount"),
                Arguments.of("{\"name\": \"NAME\", \"amount\": 123456789012345678901234567890}", "amount"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidCreateBodies")
    void create_anInvalidBody_answers400NamingTheField_andStoresNothing(String body, String field) {
        Answer answer = api.post("/api/coupons", body);

        assertError(answer, 400, "invalid_request");
        assertThat(answer.field()).isEqualTo(field);
        for (String name : List.of("X", "Y", "NAME")) {
            assertThat(api.coupon(name).status()).isEqualTo(404);
        }
    }

    @Test
    void create_atTheLimits_isAccepted() {
        String longest = uniqueName("L") + "_";
        longest = longest + "x".repeat(64 - longest.length());

        assertThat(api.createCoupon(longest, 100_000).status()).isEqualTo(201);
        assertThat(api.createCoupon(uniqueName("a.b-c_D"), 1).status()).isEqualTo(201);
    }

    // --- claim ---------------------------------------------------------------------------------

    @Test
    void claim_answers200_thenAlreadyClaimed_thenSoldOutForOthers() {
        String coupon = uniqueName("ONE");
        api.createCoupon(coupon, 1);

        Answer claimed = api.claim("user_1", coupon);
        assertThat(claimed.status()).as(claimed.raw()).isEqualTo(200);
        assertThat(claimed.body()).isEqualTo(ApiClient.JSON.valueToTree(
                Map.of("coupon_name", coupon, "user_id", "user_1", "status", "claimed")));

        assertError(api.claim("user_1", coupon), 409, "already_claimed");
        assertError(api.claim("user_2", coupon), 409, "sold_out");
        assertThat(api.existingCoupon(coupon).get("remaining_amount").asInt()).isZero();
    }

    @Test
    void claim_aMissingCoupon_answers404() {
        assertError(api.claim("user_1", uniqueName("MISSING")), 404, "coupon_not_found");
    }

    @Test
    void claim_withTheSameIdempotencyKeyTwice_answers200Twice_andClaimsOnce() {
        String coupon = uniqueName("IDEM");
        api.createCoupon(coupon, 5);
        String body = ApiClient.json(Map.of("user_id", "retrying_user", "coupon_name", coupon));
        Map<String, String> key = Map.of("Idempotency-Key", "req-" + coupon);

        Answer first = api.post("/api/coupons/claim", "application/json", body, key);
        Answer retry = api.post("/api/coupons/claim", "application/json", body, key);

        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(retry.status()).as(retry.raw()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(api.existingCoupon(coupon).get("remaining_amount").asInt()).isEqualTo(4);
        assertError(api.claim("retrying_user", coupon), 409, "already_claimed");
    }

    @Test
    void create_withTheSameIdempotencyKeyTwice_answers201Twice() {
        String name = uniqueName("IDEMC");
        String body = ApiClient.json(Map.of("name", name, "amount", 3));
        Map<String, String> key = Map.of("Idempotency-Key", "create-" + name);

        assertThat(api.post("/api/coupons", "application/json", body, key).status()).isEqualTo(201);
        assertThat(api.post("/api/coupons", "application/json", body, key).status()).isEqualTo(201);
        assertError(api.createCoupon(name, 3), 409, "coupon_exists");
    }

    @Test
    void create_withTheSameKeyAndAnotherAmount_isAnotherRequest_answered409() {
        String name = uniqueName("REKEY");
        Map<String, String> key = Map.of("Idempotency-Key", "create-" + name);

        Answer first = api.post("/api/coupons", "application/json",
                ApiClient.json(Map.of("name", name, "amount", 10)), key);
        Answer other = api.post("/api/coupons", "application/json",
                ApiClient.json(Map.of("name", name, "amount", 20)), key);

        assertThat(first.status()).as(first.raw()).isEqualTo(201);
        assertError(other, 409, "coupon_exists");
        assertThat(api.existingCoupon(name).get("amount").asInt()).isEqualTo(10);
    }

    @Test
    void claim_withTheSameKeyForAnotherUser_isDecidedForThatUser() {
        String coupon = uniqueName("SHAREDKEY");
        api.createCoupon(coupon, 5);
        Map<String, String> key = Map.of("Idempotency-Key", "one-key-" + coupon);

        Answer first = api.post("/api/coupons/claim", "application/json",
                ApiClient.json(Map.of("user_id", "first_user", "coupon_name", coupon)), key);
        Answer second = api.post("/api/coupons/claim", "application/json",
                ApiClient.json(Map.of("user_id", "second_user", "coupon_name", coupon)), key);

        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(second.status()).as(second.raw()).isEqualTo(200);
        assertThat(second.body().get("user_id").asText()).isEqualTo("second_user");
        assertThat(claimedBy(api.coupon(coupon))).containsExactly("first_user", "second_user");
    }

    static Stream<Arguments> userIdsThatAreNotUtf8() {
        return Stream.of(
                Arguments.of("a byte that never starts a character", new byte[] {'x', (byte) 0xFF}),
                Arguments.of("another such byte", new byte[] {'x', (byte) 0xFE}),
                Arguments.of("an overlong '/'", new byte[] {'x', (byte) 0xC0, (byte) 0xAF}),
                Arguments.of("a surrogate encoded on its own", new byte[] {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("a character cut short", new byte[] {'x', (byte) 0xE2, (byte) 0x82}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userIdsThatAreNotUtf8")
    void claim_aUserIdThatIsNotValidUtf8_answers400NamingIt_andStoresNothing(String what, byte[] userId) {
        String coupon = uniqueName("BYTES");
        api.createCoupon(coupon, 5);
        byte[] body = concat(("{\"user_id\":\"").getBytes(java.nio.charset.StandardCharsets.UTF_8), userId,
                ("\",\"coupon_name\":\"" + coupon + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Answer answer = api.postBytes("/api/coupons/claim", body);

        assertError(answer, 400, "invalid_request");
        assertThat(answer.field()).isEqualTo("user_id");
        Answer after = api.coupon(coupon);
        assertThat(after.body().get("remaining_amount").asInt()).isEqualTo(5);
        assertThat(claimedBy(after)).isEmpty();
    }

    @Test
    void aUserIdOf64FourByteCharacters_isClaimed_andReadBackExactly() {
        String coupon = uniqueName("WIDE");
        api.createCoupon(coupon, 5);
        String user = "\uD83D\uDE00".repeat(64);

        Answer claimed = api.claim(user, coupon);

        assertThat(claimed.status()).as(claimed.raw()).isEqualTo(200);
        assertThat(claimedBy(api.coupon(coupon))).containsExactly(user);
    }

    @Test
    void get_aNameWhosePercentDecodingIsNotUtf8_answers404() {
        assertError(api.get("/api/coupons/x%FF"), 404, "coupon_not_found");
        assertError(api.get("/api/coupons/%C0%AF"), 404, "coupon_not_found");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @Test
    void create_withoutTheAdminToken_answers401_andCreatesNothing() {
        String name = uniqueName("NOTOKEN");
        try (ApiClient anonymous = new ApiClient(server.getURI())) {
            Answer answer = anonymous.createCoupon(name, 10);

            assertError(answer, 401, "unauthorized");
            assertThat(answer.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertError(api.coupon(name), 404, "coupon_not_found");
    }

    @Test
    void create_withAnotherToken_answers403_andCreatesNothing() {
        String name = uniqueName("BADTOKEN");

        Answer answer = api.post("/api/coupons", "application/json", ApiClient.json(Map.of("name", name, "amount", 10)),
                Map.of("Authorization", "Bearer not-" + ADMIN_TOKEN));

        assertError(answer, 403, "forbidden");
        assertError(api.coupon(name), 404, "coupon_not_found");
    }

    @Test
    void claimsAndReads_needNoToken() {
        String coupon = uniqueName("OPEN");
        api.createCoupon(coupon, 3);
        try (ApiClient anonymous = new ApiClient(server.getURI())) {
            assertThat(anonymous.claim("open_user", coupon).status()).isEqualTo(200);
            assertThat(anonymous.coupon(coupon).status()).isEqualTo(200);
        }
    }

    @Test
    void anInvalidIdempotencyKey_answers400NamingTheHeader() {
        Answer answer = api.post("/api/coupons", "application/json",
                ApiClient.json(Map.of("name", uniqueName("K"), "amount", 1)), Map.of("Idempotency-Key", "k".repeat(65)));

        assertError(answer, 400, "invalid_request");
        assertThat(answer.field()).isEqualTo("Idempotency-Key");
        assertThat(answer.body().get("message").asText()).isEqualTo("Idempotency-Key must be at most 64 characters");
    }

    static Stream<Arguments> invalidClaimBodies() {
        return Stream.of(
                Arguments.of("{not json", null),
                Arguments.of("", null),
                Arguments.of("null", null),
                Arguments.of("{\"coupon_name\": \"C\"}", "user_id"),
                Arguments.of("{\"user_id\": null, \"coupon_name\": \"C\"}", "user_id"),
                Arguments.of("{\"user_id\": 12345, \"coupon_name\": \"C\"}", "user_id"),
                Arguments.of("{\"user_id\": \"\", \"coupon_name\": \"C\"}", "user_id"),
                Arguments.of("{\"user_id\": \"" + "u".repeat(65) + "\", \"coupon_name\": \"C\"}", "user_id"),
                Arguments.of("{\"user_id\": \"line\\nbreak\", \"coupon_name\": \"C\"}", "user_id"),
                Arguments.of("{\"user_id\": \"u\"}", "coupon_name"),
                Arguments.of("{\"user_id\": \"u\", \"coupon_name\": [\"C\"]}", "coupon_name"),
                Arguments.of("{\"user_id\": \"u\", \"coupon_name\": \"bad name\"}", "coupon_name"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidClaimBodies")
    void claim_anInvalidBody_answers400NamingTheField(String body, String field) {
        Answer answer = api.post("/api/coupons/claim", body);

        assertError(answer, 400, "invalid_request");
        assertThat(answer.field()).isEqualTo(field);
    }

    @Test
    void userIdsAreTakenAsGiven_withSpacesAndUnicode() {
        String coupon = uniqueName("UNI");
        api.createCoupon(coupon, 5);
        String user = " Zoë 😀 ";

        assertThat(api.claim(user, coupon).status()).isEqualTo(200);
        assertThat(claimedBy(api.coupon(coupon))).containsExactly(user);
    }

    // --- read ----------------------------------------------------------------------------------

    @Test
    void get_aFreshCoupon_showsAnEmptyClaimedByList() {
        String name = uniqueName("FRESH");
        api.createCoupon(name, 3);

        JsonNode body = api.existingCoupon(name);

        assertThat(body).isEqualTo(ApiClient.JSON.valueToTree(
                Map.of("name", name, "amount", 3, "remaining_amount", 3, "claimed_by", List.of())));
    }

    @Test
    void get_listsHoldersInClaimOrder() {
        String name = uniqueName("ORDER");
        api.createCoupon(name, 10);
        List<String> users = List.of("zoe", "adam", "mia", "bob");
        users.forEach(user -> api.claim(user, name));

        Answer coupon = api.coupon(name);

        assertThat(coupon.status()).as(coupon.raw()).isEqualTo(200);
        assertThat(claimedBy(coupon)).containsExactlyElementsOf(users);
        assertThat(coupon.body().get("remaining_amount").asInt()).isEqualTo(6);
    }

    @Test
    void get_aMissingCoupon_answers404() {
        assertError(api.coupon(uniqueName("NOPE")), 404, "coupon_not_found");
    }

    @Test
    void get_aNameThatCannotExist_answers404() {
        assertError(api.coupon("has%20space"), 404, "coupon_not_found");
        assertError(api.coupon("N".repeat(65)), 404, "coupon_not_found");
    }

    // --- transport-level errors ----------------------------------------------------------------

    @Test
    void aBodyOverTheLimit_answers413() {
        String huge = "{\"name\": \"" + "x".repeat(20_000) + "\", \"amount\": 1}";

        assertError(api.post("/api/coupons", huge), 413, "payload_too_large");
    }

    @Test
    void aBodyThatIsNotJson_answers415() {
        assertError(api.post("/api/coupons", "text/plain", "name=X&amount=1", Map.of()), 415,
                "unsupported_media_type");
        assertError(api.post("/api/coupons/claim", "application/x-www-form-urlencoded", "user_id=u", Map.of()),
                415, "unsupported_media_type");
    }

    @Test
    void aBodyWithoutContentType_answers415() {
        assertError(api.post("/api/coupons", null, "{\"name\": \"X\", \"amount\": 1}", Map.of()), 415,
                "unsupported_media_type");
    }

    @Test
    void anUnknownPath_answersJson404() {
        assertError(api.get("/api/nothing-here"), 404, "not_found");
    }

    @Test
    void withTheAdminToken_metricsAndHealthDetailsNeedIt_andPublicHealthShowsItsStatusAlone() {
        try (ApiClient anonymous = new ApiClient(server.getURI())) {
            assertError(anonymous.get("/prometheus"), 401, "unauthorized");
            Answer publicHealth = anonymous.get("/health");
            assertThat(publicHealth.status()).as(publicHealth.raw()).isEqualTo(200);
            assertThat(publicHealth.body().get("status").asText()).isEqualTo("UP");
            assertThat(publicHealth.body().has("details")).as(publicHealth.raw()).isFalse();
        }
        Map<String, String> operator = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
        Answer metrics = api.get("/prometheus", operator);
        assertThat(metrics.status()).as(metrics.raw()).isEqualTo(200);
        assertThat(metrics.raw()).contains("coupon_claims_total");
        assertError(api.get("/prometheus", Map.of("Authorization", "Bearer wrong")), 403, "forbidden");
        try (ApiClient anonymous = new ApiClient(server.getURI())) {
            assertError(anonymous.get("/operator/health"), 401, "unauthorized");
        }
        Answer details = api.get("/operator/health", operator);
        assertThat(details.status()).as(details.raw()).isEqualTo(200);
        assertThat(details.body().get("details").get("jdbc").get("status").asText()).isEqualTo("UP");
    }

    /**
     * Every route outside the API and the health status needs the token, and its refusal names
     * what was asked for; the management endpoints the project does not list are off.
     */
    @Test
    void withTheAdminToken_everyRouteOutsideTheApiAndHealth_refusesARequestWithoutIt() {
        List<String> guarded = new ArrayList<>();
        router.uriRoutes().map(UriRouteInfo::getUriMatchTemplate).map(Object::toString).distinct().sorted()
                .filter(path -> !path.startsWith("/api/") && !path.equals("/api/coupons") && !path.startsWith("/health"))
                .filter(path -> !path.startsWith("/swagger/"))
                .forEach(guarded::add);
        assertThat(guarded).as("the routes outside the API, the health status and the API document")
                .contains("/prometheus", "/operator/health")
                .noneMatch(path -> path.startsWith("/metrics") || path.startsWith("/beans") || path.startsWith("/env")
                        || path.startsWith("/loggers") || path.startsWith("/routes") || path.startsWith("/info"));
        try (ApiClient anonymous = new ApiClient(server.getURI())) {
            for (String template : guarded) {
                String path = template.replaceAll("\\{[^}]*}", "x");
                Answer refused = anonymous.get(path);
                assertError(refused, 401, "unauthorized");
                assertThat(refused.body().get("message").asText()).isEqualTo("GET " + path
                        + " needs Authorization: Bearer <ADMIN_TOKEN>");
            }
            // a management endpoint Micronaut would have had on by default is off, not merely guarded
            assertError(anonymous.get("/metrics"), 401, "unauthorized");
        }
        assertThat(api.get("/metrics", Map.of("Authorization", "Bearer " + ADMIN_TOKEN)).status()).isEqualTo(404);
        assertThat(api.get("/beans", Map.of("Authorization", "Bearer " + ADMIN_TOKEN)).status()).isEqualTo(404);
        Answer document = api.get("/swagger/coupon-service-1.yml");
        assertThat(document.status()).as("the API document stays public").isEqualTo(200);
        assertThat(document.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
    }

    /**
     * Every exchange this suite made through its client, checked against the OpenAPI document the
     * service serves, with a validator that is not Micronaut's: every answer validates, every
     * request answered with success validates, and every request the service refused as malformed
     * (400, 413, 415) the validator refuses too, unless listed below with the reason it cannot.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyExchangeOfTheSuite_agreesWithTheServedOpenApiDocument() {
        String yaml = api.get("/swagger/coupon-service-1.yml").raw();
        com.atlassian.oai.validator.OpenApiInteractionValidator validator =
                com.atlassian.oai.validator.OpenApiInteractionValidator.createForInlineApiSpecification(yaml).build();
        List<ApiClient.Exchange> exchanges = api.exchanges();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (ApiClient.Exchange exchange : exchanges) {
            String path = exchange.path().split("\\?")[0];
            if (!documented(path)) {
                continue; // management endpoints and unknown paths are not the API's document
            }
            checked++;
            com.atlassian.oai.validator.model.SimpleRequest.Builder request =
                    new com.atlassian.oai.validator.model.SimpleRequest.Builder(exchange.method(), path);
            exchange.headers().forEach(request::withHeader);
            if (exchange.body() != null) {
                request.withBody(exchange.body());
            }
            Answer answer = exchange.answer();
            com.atlassian.oai.validator.model.SimpleResponse.Builder response =
                    com.atlassian.oai.validator.model.SimpleResponse.Builder.status(answer.status());
            answer.header("Content-Type").ifPresent(response::withContentType);
            if (answer.raw() != null && !answer.raw().isEmpty()) {
                response.withBody(answer.raw());
            }
            com.atlassian.oai.validator.model.Request built = request.build();
            com.atlassian.oai.validator.report.ValidationReport responseReport =
                    validator.validateResponse(path, built.getMethod(), response.build());
            if (responseReport.hasErrors()) {
                wrong.add("answer " + answer.status() + " to " + exchange.method() + " " + path + ": "
                        + responseReport.getMessages());
            }
            com.atlassian.oai.validator.report.ValidationReport requestReport = validator.validateRequest(built);
            if (answer.status() < 300 && requestReport.hasErrors()) {
                wrong.add("request " + exchange.method() + " " + path + " " + exchange.body() + " succeeded, but: "
                        + requestReport.getMessages());
            }
            if ((answer.status() == 400 || answer.status() == 413 || answer.status() == 415)
                    && !requestReport.hasErrors() && !refusedBeyondTheDocument(exchange)) {
                wrong.add("request " + exchange.method() + " " + path + " " + exchange.body() + " " + exchange.headers()
                        + " was answered " + answer.status() + ", yet the document allows it");
            }
        }
        assertThat(checked).as("exchanges checked").isGreaterThan(50);
        assertThat(wrong).isEmpty();
    }

    private static boolean documented(String path) {
        return path.equals("/api/coupons") || path.equals("/api/coupons/claim")
                || (path.startsWith("/api/coupons/") && !path.substring("/api/coupons/".length()).contains("/"))
                || path.equals("/health") || path.equals("/health/liveness") || path.equals("/health/readiness");
    }

    /**
     * Requests the service refuses for what an OpenAPI document cannot state, or this validator
     * does not check, each with its reason: JSON Schema sees the parsed body, never its bytes or
     * its syntax.
     */
    private static boolean refusedBeyondTheDocument(ApiClient.Exchange exchange) {
        String body = exchange.body() == null ? "" : exchange.body();
        return body.contains("\uFFFD") // malformed UTF-8 bytes: the validator reads them already replaced
                || body.matches("(?s).*\\\\u[dD][89a-fA-F].*") // escaped lone surrogates parse as valid strings
                || strictJsonRefuses(body) // duplicate keys, trailing data: JSON Schema sees one parsed value
                || body.length() > 16 * 1024 // the size limit is the server's, not the body schema's
                // no Content-Type at all: the validator checks a media type only when one is sent
                || (exchange.answer().status() == 415 && !exchange.headers().containsKey("Content-Type"));
    }

    /** A body whose first JSON value reads well, refused only by the strict reading (duplicate keys, trailing data). */
    private static boolean strictJsonRefuses(String body) {
        com.fasterxml.jackson.databind.ObjectMapper lenient = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            lenient.readTree(body);
        } catch (Exception notJsonAtAll) {
            return false;
        }
        try {
            lenient.copy().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
            return false;
        } catch (Exception strictOnly) {
            return true;
        }
    }

    @Test
    void health_answers200WhenTheDatabaseIsUp() {
        Answer health = api.get("/health");

        assertThat(health.status()).as(health.raw()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("UP");
    }

    // --- races ---------------------------------------------------------------------------------

    private List<Answer> all(List<CompletableFuture<Answer>> futures) {
        return futures.stream().map(CompletableFuture::join).toList();
    }

    @Test
    @DisplayName("50 racing claims on a stock of 5: exactly five 200s, the rest sold_out, nothing left")
    void fiftyRacingClaimsOnFive() {
        String coupon = uniqueName("RACE5");
        api.createCoupon(coupon, 5);
        List<CompletableFuture<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(api.claimAsync("racer_" + i, coupon));
        }
        List<Answer> answers = all(futures);

        assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(5);
        assertThat(answers.stream().filter(a -> a.status() == 409 && "sold_out".equals(a.error()))).hasSize(45);
        assertThat(api.existingCoupon(coupon).get("remaining_amount").asInt()).isZero();
    }

    @Test
    @DisplayName("10 racing claims by one user: exactly one 200, nine already_claimed")
    void tenRacingClaimsByOneUser() {
        String coupon = uniqueName("RACE1");
        api.createCoupon(coupon, 10);
        List<CompletableFuture<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(api.claimAsync("same_user", coupon));
        }
        List<Answer> answers = all(futures);

        assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(1);
        assertThat(answers.stream().filter(a -> "already_claimed".equals(a.error()))).hasSize(9);
        assertThat(api.existingCoupon(coupon).get("remaining_amount").asInt()).isEqualTo(9);
    }

    @Test
    @DisplayName("500 racing users on a stock of 50: 50 winners, and claimed_by is exactly the winners")
    void fiveHundredRacingUsersOnFifty() {
        String coupon = uniqueName("RACE50");
        api.createCoupon(coupon, 50);
        List<CompletableFuture<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(api.claimAsync("user_" + i, coupon));
        }
        List<Answer> answers = all(futures);

        Set<String> winners = new HashSet<>();
        for (Answer a : answers) {
            if (a.status() == 200) {
                winners.add(a.body().get("user_id").asText());
            } else {
                assertThat(a.error()).as(a.raw()).isEqualTo("sold_out");
            }
        }
        Answer after = api.coupon(coupon);
        assertThat(winners).hasSize(50);
        assertThat(Set.copyOf(claimedBy(after))).isEqualTo(winners);
        assertThat(claimedBy(after)).hasSize(50);
        assertThat(after.body().get("remaining_amount").asInt()).isZero();
    }

    @Test
    @DisplayName("20 racing creates of one name: one 201, nineteen coupon_exists")
    void twentyRacingCreates() {
        String name = uniqueName("CREATE");
        List<CompletableFuture<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(api.createAsync(name, i + 1));
        }
        List<Answer> answers = all(futures);

        assertThat(answers.stream().filter(a -> a.status() == 201)).hasSize(1);
        assertThat(answers.stream().filter(a -> "coupon_exists".equals(a.error()))).hasSize(19);
        int winnerAmount = answers.stream().filter(a -> a.status() == 201).findFirst().orElseThrow()
                .body().get("amount").asInt();
        assertThat(api.existingCoupon(name).get("amount").asInt()).isEqualTo(winnerAmount);
    }

    @Test
    @DisplayName("requests pipelined on one connection are answered in their order, claims among them")
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        // HTTP/1.1 orders the answers, not the work: Micronaut may read the coupon before an earlier
        // claim on the same connection is applied, so each answer is checked only for being its own
        String coupon = uniqueName("PIPE");
        assertThat(api.createCoupon(coupon, 3).status()).isEqualTo(201);
        String claimA = claimRequest("pipe-a", coupon);
        String read = "GET /api/coupons/" + coupon + " HTTP/1.1\r\nHost: test\r\n\r\n";
        String claimB = claimRequest("pipe-b", coupon);
        String claimC = claimRequest("pipe-c", coupon);
        String wrongType = "POST /api/coupons/claim HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 2\r\n\r\nhi";
        // one write: the server reads them together, and must answer each in turn
        List<String> answers = pipelined(claimA + read + claimB + wrongType + claimC + read, 6);

        assertThat(answers.get(0)).startsWith("HTTP/1.1 200").contains("\"user_id\":\"pipe-a\"");
        assertThat(answers.get(1)).startsWith("HTTP/1.1 200").contains("\"name\":\"" + coupon + "\"");
        assertThat(answers.get(2)).startsWith("HTTP/1.1 200").contains("\"user_id\":\"pipe-b\"");
        assertThat(answers.get(3)).startsWith("HTTP/1.1 415").contains("unsupported_media_type");
        assertThat(answers.get(4)).startsWith("HTTP/1.1 200").contains("\"user_id\":\"pipe-c\"");
        assertThat(answers.get(5)).startsWith("HTTP/1.1 200").contains("\"name\":\"" + coupon + "\"");
        assertThat(api.existingCoupon(coupon).get("remaining_amount").asInt()).isZero();
    }

    private static String claimRequest(String user, String coupon) {
        String body = "{\"user_id\":\"" + user + "\",\"coupon_name\":\"" + coupon + "\"}";
        return "POST /api/coupons/claim HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    /** Sends {@code requests} in one write and reads {@code count} answers (each with its Content-Length body). */
    private List<String> pipelined(String requests, int count) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(requests.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.BufferedInputStream(socket.getInputStream()));
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                StringBuilder head = new StringBuilder();
                int length = 0;
                for (String line; !(line = readLine(in)).isEmpty(); ) {
                    head.append(line).append('\n');
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                byte[] body = new byte[length];
                in.readFully(body);
                answers.add(head + new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            return answers;
        }
    }

    private static String readLine(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new java.io.EOFException("connection closed after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
