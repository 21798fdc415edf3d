package com.flashsale.coupon.adapter.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI document generated at build time as {@code application/yaml}. As a static
 * resource it went out as {@code text/plain}: Micronaut's {@code mime.types} has no entry for
 * {@code .yml}, and it reads one such file only, its own.
 */
@Hidden
@Controller("/swagger")
final class ApiDocumentController {

    static final String DOCUMENT = "coupon-service-1.yml";
    static final String YAML = "application/yaml";

    private final byte[] document;

    ApiDocumentController() {
        try (InputStream in = ApiDocumentController.class.getResourceAsStream("/META-INF/swagger/" + DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document META-INF/swagger/" + DOCUMENT
                        + " is not on the classpath; it is generated when adapter-http is compiled");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/" + DOCUMENT, produces = YAML)
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(document.clone()).contentType(YAML);
    }
}
