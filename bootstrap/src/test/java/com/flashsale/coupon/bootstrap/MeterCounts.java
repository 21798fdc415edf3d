package com.flashsale.coupon.bootstrap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;

/** A counter of the service's meters, as it is exported: what a test reads the transport's figures by. */
final class MeterCounts {

    private MeterCounts() {
    }

    static long of(ApplicationContext context, String counter) {
        return (long) context.getBean(MeterRegistry.class).get(counter).counter().count();
    }
}
