package com.flashsale.coupon.bootstrap;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Refuses, in one sentence and before anything starts, a configuration this build cannot serve,
 * rather than letting it surface later as a stack trace from deep inside the framework.
 */
final class StartupCheck {

    private StartupCheck() {
    }

    /** Why the service must not start with this environment and these system properties, if it must not. */
    static Optional<String> refusal(Map<String, String> env, Properties properties) {
        String eventDriven = properties.getProperty("coupons.event-driven",
                env.getOrDefault("EVENT_DRIVEN_ENABLED", "true"));
        if (Boolean.parseBoolean(eventDriven.trim())) {
            return Optional.of("coupon-service: EVENT_DRIVEN_ENABLED=true needs the Kafka transport, which this"
                    + " build does not include yet; start it with EVENT_DRIVEN_ENABLED=false.");
        }
        return Optional.empty();
    }
}
