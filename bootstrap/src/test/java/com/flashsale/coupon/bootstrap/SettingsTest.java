package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The registry of environment variables: what it refuses, what it accepts, and that it is the service's own. */
class SettingsTest {

    private static List<String> problems(Map<String, String> environment) {
        return Settings.of(environment).problems(EnumSet.allOf(Setting.Reader.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "ture", "yes", "on", "y", "1", "TRUE ", ""})
    void eventDrivenEnabled_acceptsOnlyTrueOrFalse(String value) {
        assertThat(problems(Map.of("EVENT_DRIVEN_ENABLED", value))).singleElement().asString()
                .startsWith("EVENT_DRIVEN_ENABLED ").contains("it must be true or false");
        assertThat(problems(Map.of("EVENT_DRIVEN_ENABLED", "false"))).isEmpty();
        assertThat(problems(Map.of("EVENT_DRIVEN_ENABLED", "true"))).isEmpty();
    }

    @Test
    void secrets_areNeverEchoed_andEverySentenceNamesTheVariableAndTheValue() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ADMIN_TOKEN", "s3cret-token");
        environment.put("DB_PASSWORD", "s3cret-password");
        environment.put("PORT", "abc");
        environment.put("DB_SOCKET_TIMEOUT", "1.5");
        environment.put("KAFKA_PARTITIONS", "-3");

        assertThat(problems(environment)).containsExactly(
                "DB_SOCKET_TIMEOUT is '1.5'; it must be a whole number of at least 1.",
                "PORT is 'abc'; it must be a port from 1 to 65535.",
                "KAFKA_PARTITIONS is '-3'; it must be a whole number of at least 1.")
                .noneMatch(sentence -> sentence.contains("s3cret"));
    }

    @Test
    void anEmptyValue_isSaidToBeEmpty_withItsDefault() {
        assertThat(problems(Map.of("REQUEST_TIMEOUT", ""))).containsExactly(
                "REQUEST_TIMEOUT is set but empty; it must be a positive duration such as 5s or 1500ms, or unset for the"
                        + " default, 5s.");
    }

    @Test
    void aDeadlineNoLongerThanTheRetryChain_isRefusedInEventDrivenMode_only() {
        assertThat(problems(Map.of("REQUEST_TIMEOUT", "2750ms"))).singleElement().asString()
                .startsWith("REQUEST_TIMEOUT is '2750ms'; in event-driven mode it must be longer than the retry chain");
        assertThat(problems(Map.of("REQUEST_TIMEOUT", "2751ms"))).isEmpty();
        assertThat(problems(Map.of("REQUEST_TIMEOUT", "1s", "EVENT_DRIVEN_ENABLED", "false"))).isEmpty();
    }

    @Test
    void theHeartbeat_mustBeBelowTheSession() {
        assertThat(problems(Map.of("KAFKA_SESSION_TIMEOUT_MS", "3000", "KAFKA_HEARTBEAT_INTERVAL_MS", "3000")))
                .singleElement().asString().startsWith("KAFKA_HEARTBEAT_INTERVAL_MS (3000) must be below");
        assertThat(problems(Map.of("KAFKA_SESSION_TIMEOUT_MS", "3000", "KAFKA_HEARTBEAT_INTERVAL_MS", "500"))).isEmpty();
    }

    @Test
    void aValueTheRegistryAccepts_isReadByTheServiceAsTheSameValue() {
        Map<String, Object> properties = Map.of("coupons.kafka.request-timeout", "4500ms", "micronaut.server.port", "18080");
        assertThat(problems(Map.of("REQUEST_TIMEOUT", "4500ms", "PORT", "18080"))).isEmpty();
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).deduceEnvironment(false)
                .build()) {
            Environment environment = context.getEnvironment().start();
            assertThat(environment.getProperty("coupons.kafka.request-timeout", Duration.class))
                    .contains(Duration.ofMillis(4500));
            assertThat(environment.getProperty("micronaut.server.port", Integer.class)).contains(18080);
        }
    }

    /**
     * Every variable application.yml reads is in the registry as the service's, with the same
     * default; and the retry chain the registry checks deadlines against is the configured one.
     */
    @Test
    void theRegistry_agreesWithApplicationYml() throws Exception {
        String yml;
        try (InputStream in = SettingsTest.class.getResourceAsStream("/application.yml")) {
            yml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}").matcher(yml);
        int found = 0;
        while (placeholder.find()) {
            found++;
            Setting setting = Setting.valueOf(placeholder.group(1));
            assertThat(setting.reader()).as(setting.name()).isEqualTo(Setting.Reader.SERVICE);
            assertThat(setting.defaultValue()).as(setting.name()).isEqualTo(placeholder.group(2).replace("`", ""));
        }
        assertThat(found).isGreaterThanOrEqualTo(15);
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).build()) {
            Environment environment = context.getEnvironment().start();
            assertThat(environment.getProperty("coupons.kafka.retry-backoffs", String.class).orElseThrow()
                    .split(",")).hasSize(Settings.RETRY_BACKOFFS.size());
            assertThat(environment.getProperty("coupons.kafka.retry-backoffs",
                    io.micronaut.core.type.Argument.listOf(Duration.class))).contains(Settings.RETRY_BACKOFFS);
            assertThat(environment.getProperty("datasources.default.connection-timeout", Long.class))
                    .contains(Settings.POOL_WAIT.toMillis());
        }
    }
}
