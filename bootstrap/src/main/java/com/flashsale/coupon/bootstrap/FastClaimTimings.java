package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.adapter.http.ClaimTimings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records the claims the HTTP fast path answers under {@code http.server.requests}, as Micronaut's
 * metrics filter does for every other request (tags {@code method}, {@code uri}, {@code status},
 * {@code exception}), so that the one HTTP latency metric still covers every claim. The uri is the
 * path for every status.
 */
@Singleton
final class FastClaimTimings implements ClaimTimings {

    private final MeterRegistry registry;
    /** One timer per status code, made on first use. */
    private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);

    FastClaimTimings(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answered(int status, long nanos) {
        Timer timer = byStatus.get(status);
        if (timer == null) {
            timer = Timer.builder("http.server.requests").tags("method", "POST", "uri", "/api/coupons/claim",
                    "status", Integer.toString(status), "exception", "none").register(registry);
            byStatus.set(status, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
