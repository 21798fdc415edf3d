package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StartupCheckTest {

    @Test
    void eventDrivenByDefault_isRefusedInOneSentence() {
        assertThat(StartupCheck.refusal(Map.of(), new Properties()))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("EVENT_DRIVEN_ENABLED=false").doesNotContain("\n"));
    }

    @Test
    void syncMode_starts() {
        assertThat(StartupCheck.refusal(Map.of("EVENT_DRIVEN_ENABLED", "false"), new Properties())).isEmpty();
    }

    @Test
    void aSystemPropertyOverridesTheEnvironment() {
        Properties properties = new Properties();
        properties.setProperty("coupons.event-driven", "false");
        assertThat(StartupCheck.refusal(Map.of("EVENT_DRIVEN_ENABLED", "true"), properties)).isEmpty();
    }
}
