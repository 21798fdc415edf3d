package com.flashsale.coupon.bootstrap;

import io.micronaut.core.convert.ConversionService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An environment checked against the {@link Setting} registry: one sentence per variable whose
 * value is not allowed, and one per pair of variables that cannot work together. Run before
 * anything starts, so that a typo ends in a sentence that names the variable instead of a bean
 * path and a stack trace, after PostgreSQL and Kafka were already started.
 */
public final class Settings {

    /**
     * The retry back-offs of event-driven mode: {@link KafkaConfiguration}'s default, which
     * application.yml states again ({@code coupons.kafka.retry-backoffs}; SettingsTest keeps them equal).
     */
    static final List<Duration> RETRY_BACKOFFS = List.of(Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofMillis(400), Duration.ofMillis(800));
    /** The pool's connection timeout (application.yml): each attempt waits this long for a gone database. */
    static final Duration POOL_WAIT = Duration.ofMillis(250);

    private final Map<String, String> environment;

    private Settings(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The variables of {@code environment} (System.getenv(), say) as the registry reads them. */
    public static Settings of(Map<String, String> environment) {
        return new Settings(environment);
    }

    /**
     * The waits of a request whose store is gone, in event-driven mode: every back-off, and one
     * pool wait for each attempt. A deadline no longer than this answers 504 where the dead letter
     * would have told the caller 500.
     */
    static Duration retryChain() {
        Duration chain = POOL_WAIT.multipliedBy(RETRY_BACKOFFS.size() + 1L);
        for (Duration backoff : RETRY_BACKOFFS) {
            chain = chain.plus(backoff);
        }
        return chain;
    }

    /** Every problem of the variables {@code readers} read, one sentence each; empty when all are allowed. */
    public List<String> problems(Set<Setting.Reader> readers) {
        List<String> problems = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            String value = environment.get(setting.name());
            if (value != null && readers.contains(setting.reader())) {
                setting.problem(value).ifPresent(problems::add);
            }
        }
        if (problems.isEmpty() && readers.contains(Setting.Reader.SERVICE)) {
            problems.addAll(together());
        }
        return problems;
    }

    /** The values that depend on each other, checked once each is allowed on its own. */
    private List<String> together() {
        List<String> problems = new ArrayList<>();
        long heartbeat = Long.parseLong(value(Setting.KAFKA_HEARTBEAT_INTERVAL_MS));
        long session = Long.parseLong(value(Setting.KAFKA_SESSION_TIMEOUT_MS));
        if (heartbeat >= session) {
            problems.add("KAFKA_HEARTBEAT_INTERVAL_MS (" + heartbeat + ") must be below KAFKA_SESSION_TIMEOUT_MS ("
                    + session + "): a worker heartbeats several times within its session, a third of it or less.");
        }
        Duration timeout = ConversionService.SHARED.convert(value(Setting.REQUEST_TIMEOUT), Duration.class)
                .orElseThrow();
        Duration chain = retryChain();
        if (eventDriven() && timeout.compareTo(chain) <= 0) {
            problems.add("REQUEST_TIMEOUT is '" + value(Setting.REQUEST_TIMEOUT) + "'; in event-driven mode it must be"
                    + " longer than the retry chain, " + chain.toMillis() + " ms (the back-offs "
                    + RETRY_BACKOFFS.stream().map(d -> d.toMillis() + " ms").toList() + " and "
                    + (RETRY_BACKOFFS.size() + 1) + " pool waits of " + POOL_WAIT.toMillis()
                    + " ms), so that a request the database cannot serve is answered 500 before its deadline.");
        }
        return problems;
    }

    /** True unless EVENT_DRIVEN_ENABLED is false. */
    public boolean eventDriven() {
        return Boolean.parseBoolean(value(Setting.EVENT_DRIVEN_ENABLED));
    }

    /** A port variable's value, or its default; call after {@link #problems} found none. */
    public int port(Setting setting) {
        return Integer.parseInt(value(setting));
    }

    /** The variable's value as set, or its default when unset. */
    public String value(Setting setting) {
        String value = environment.get(setting.name());
        return value == null ? setting.defaultValue() : value;
    }
}
