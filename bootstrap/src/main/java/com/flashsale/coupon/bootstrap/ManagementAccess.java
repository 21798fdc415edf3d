package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.http.AdminAccess;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.management.endpoint.health.DetailsVisibility;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import jakarta.inject.Singleton;

/**
 * The operator's views while {@code ADMIN_TOKEN} is set: {@code /prometheus} needs the bearer
 * token (401 or 403 without it), and the health endpoints show their status alone, no details
 * (broker addresses, reply topics). Without a token, both stay open, as creation does.
 */
final class ManagementAccess {

    private ManagementAccess() {
    }

    /** {@code /prometheus} behind the token. */
    @ServerFilter("/prometheus")
    static final class MetricsFilter {

        private final AdminAccess adminAccess;

        MetricsFilter(AdminAccess adminAccess) {
            this.adminAccess = adminAccess;
        }

        @RequestFilter
        @Nullable
        HttpResponse<?> admit(HttpRequest<?> request) {
            return adminAccess.refusal(request.getHeaders().get(HttpHeaders.AUTHORIZATION)).orElse(null);
        }
    }

    /**
     * Health details off while a token is set. (Showing them to the token's bearer needs a
     * principal the health endpoint sees; tried with details-visible AUTHENTICATED and a filter
     * that sets the request's principal, the endpoint still showed no details, so it does not see
     * one set there. A management port of its own is the way left open.)
     */
    @Singleton
    static final class HealthDetails implements BeanCreatedEventListener<HealthEndpoint> {

        private final boolean tokenSet;

        HealthDetails(@Nullable @Value("${" + AdminAccess.PROPERTY + ":}") String token) {
            this.tokenSet = token != null && !token.isBlank();
        }

        @Override
        public HealthEndpoint onCreated(BeanCreatedEvent<HealthEndpoint> event) {
            HealthEndpoint health = event.getBean();
            if (tokenSet) {
                health.setDetailsVisible(DetailsVisibility.NEVER);
            }
            return health;
        }
    }
}
