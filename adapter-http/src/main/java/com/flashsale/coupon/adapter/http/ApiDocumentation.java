package com.flashsale.coupon.adapter.http;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The API's title and version in the OpenAPI document generated at build time. */
@OpenAPIDefinition(info = @Info(
        title = "coupon-service",
        version = "1",
        description = "Flash-sale coupons: create a coupon with a fixed stock, let users claim one each, read who holds it."
                + " Errors are JSON {error, message, field?}.",
        license = @License(name = "Proprietary")))
@SecurityScheme(name = AdminAccess.SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "ADMIN_TOKEN: when the service has one, creating a coupon needs it")
final class ApiDocumentation {

    private ApiDocumentation() {
    }
}
