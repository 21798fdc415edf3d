package com.flashsale.coupon.bootstrap;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * What {@code /health/liveness} checks: that the process answers, with no I/O, so that an
 * orchestrator restarts the service only when it is stuck, never because a dependency is down.
 * Without an indicator of its own, liveness answered {@code UNKNOWN}.
 */
@Singleton
@Liveness
final class ProcessLivenessIndicator implements HealthIndicator {

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("process", HealthStatus.UP).build());
    }
}
