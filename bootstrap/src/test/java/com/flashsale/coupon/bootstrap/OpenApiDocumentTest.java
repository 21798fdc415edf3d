package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document generated at build time states the contract: every endpoint, every status. */
class OpenApiDocumentTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document() throws Exception {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/swagger/coupon-service-1.yml")) {
            assertThat(in).as("generated OpenAPI document on the classpath").isNotNull();
            return new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> responses(Map<String, Object> document, String path, String method) {
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        Map<String, Object> operation = (Map<String, Object>) ((Map<String, Object>) paths.get(path)).get(method);
        return (Map<String, Object>) operation.get("responses");
    }

    @Test
    void everyEndpointListsExactlyItsStatusCodes() throws Exception {
        Map<String, Object> document = document();

        assertThat(responses(document, "/api/coupons", "post").keySet())
                .containsExactlyInAnyOrder("201", "400", "401", "403", "406", "409", "413", "415", "500", "503", "504");
        assertThat(responses(document, "/api/coupons/claim", "post").keySet())
                .containsExactlyInAnyOrder("200", "400", "404", "406", "409", "413", "415", "500", "503", "504");
        assertThat(responses(document, "/api/coupons/{name}", "get").keySet())
                .containsExactlyInAnyOrder("200", "404", "406", "500", "503", "504");
        assertThat(responses(document, "/health", "get").keySet()).containsExactlyInAnyOrder("200", "503");
        assertThat(((Map<String, Object>) document.get("paths")).keySet()).containsExactlyInAnyOrder(
                "/api/coupons", "/api/coupons/claim", "/api/coupons/{name}", "/health", "/health/liveness",
                "/health/readiness");
    }

    @Test
    @SuppressWarnings("unchecked")
    void creatingACoupon_isDocumentedAsNeedingTheAdminBearerToken() throws Exception {
        Map<String, Object> document = document();
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        Map<String, Object> create = (Map<String, Object>) ((Map<String, Object>) paths.get("/api/coupons")).get("post");
        Map<String, Object> claim = (Map<String, Object>) ((Map<String, Object>) paths.get("/api/coupons/claim")).get("post");
        Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) document.get("components"))
                .get("securitySchemes");

        // the admin token, or none: the service needs it only when it has an ADMIN_TOKEN
        assertThat((List<Map<String, Object>>) create.get("security"))
                .containsExactlyInAnyOrder(Map.of("adminToken", List.of()), Map.of());
        assertThat(claim.get("security")).isNull();
        assertThat(((Map<String, Object>) schemes.get("adminToken"))).containsEntry("type", "http")
                .containsEntry("scheme", "bearer");
    }

    @Test
    @SuppressWarnings("unchecked")
    void errorsAndBodiesHaveTheContractsShape() throws Exception {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document().get("components"))
                .get("schemas");

        assertThat(((Map<String, Object>) ((Map<String, Object>) schemas.get("ErrorBody")).get("properties")).keySet())
                .containsExactlyInAnyOrder("error", "message", "field");
        // only invalid_request names a field: a client generated from the document must read a 404 without one
        assertThat((List<String>) ((Map<String, Object>) schemas.get("ErrorBody")).get("required"))
                .containsExactlyInAnyOrder("error", "message");
        assertThat(((Map<String, Object>) ((Map<String, Object>) schemas.get("CouponResponse")).get("properties"))
                .keySet()).containsExactlyInAnyOrder("name", "amount", "remaining_amount", "claimed_by");
        assertThat(((Map<String, Object>) ((Map<String, Object>) schemas.get("ClaimCoupon")).get("properties"))
                .keySet()).containsExactlyInAnyOrder("user_id", "coupon_name");
        assertThat(((Map<String, Object>) ((Map<String, Object>) schemas.get("CreateCoupon")).get("properties"))
                .keySet()).containsExactlyInAnyOrder("name", "amount");
    }
}
