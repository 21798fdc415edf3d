package com.flashsale.coupon.bootstrap;

import io.micronaut.core.convert.ConversionService;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every environment variable the service and its launcher read, with its meaning, its default and
 * the values it allows: the one registry of them. {@link Settings} checks an environment against
 * it before anything starts, in the service ({@code java -jar}) and in the launcher
 * ({@code bin/run-local}); the README's configuration tables list the same variables.
 */
public enum Setting {

    EVENT_DRIVEN_ENABLED(Reader.SERVICE, Values.BOOLEAN, "true", "the Kafka transport on (true) or off (false)"),
    KAFKA_BROKERS(Reader.SERVICE, Values.TEXT, "kafka:9092", "Kafka bootstrap servers, host:port,host:port"),
    DB_HOST(Reader.SERVICE, Values.TEXT, "localhost", "PostgreSQL host"),
    DB_PORT(Reader.SERVICE, Values.PORT, "5432", "PostgreSQL port"),
    DB_NAME(Reader.SERVICE, Values.TEXT, "coupons", "the database"),
    DB_USER(Reader.SERVICE, Values.TEXT, "coupons", "the database user"),
    DB_PASSWORD(Reader.SERVICE, Values.SECRET, "coupons", "the database user's password"),
    DB_POOL_SIZE(Reader.SERVICE, Values.POSITIVE, "10", "database connections, and threads that run store calls"),
    DB_SOCKET_TIMEOUT(Reader.SERVICE, Values.POSITIVE, "6",
            "seconds the PostgreSQL driver waits on a read before it drops the connection"),
    INSTANCE_ID(Reader.SERVICE, Values.TOPIC_NAME, "",
            "names this instance's reply topic coupon.reply.{INSTANCE_ID}; unset, the host name plus a short random suffix"),
    PORT(Reader.SERVICE, Values.PORT, "8080", "HTTP port"),
    REQUEST_TIMEOUT(Reader.SERVICE, Values.DURATION, "5s", "the deadline of every request, in both modes"),
    ADMIN_TOKEN(Reader.SERVICE, Values.SECRET, "", "bearer token for creating coupons and the operator's views"),
    KAFKA_PARTITIONS(Reader.SERVICE, Values.POSITIVE, "6", "partitions of each topic the service creates"),
    KAFKA_REPLICATION_FACTOR(Reader.SERVICE, Values.REPLICATION_FACTOR, "1",
            "replication factor of the topics the service creates"),
    KAFKA_BATCH_CLAIMS(Reader.SERVICE, Values.BOOLEAN, "true",
            "claims for one coupon travel in one record; false while a worker that cannot read batches runs"),
    KAFKA_SESSION_TIMEOUT_MS(Reader.SERVICE, Values.POSITIVE, "10000", "the workers' consumer-group session, in ms"),
    KAFKA_HEARTBEAT_INTERVAL_MS(Reader.SERVICE, Values.POSITIVE, "3000",
            "the workers' consumer-group heartbeat, in ms; below the session"),

    LOCAL_DATA_DIR(Reader.LAUNCHER, Values.PATH, ".local", "where PostgreSQL and Kafka keep their data"),
    LOCAL_POSTGRES_PORT(Reader.LAUNCHER, Values.PORT, "5432", "PostgreSQL's port"),
    LOCAL_KAFKA_PORT(Reader.LAUNCHER, Values.PORT, "9092", "the broker's port"),
    LOCAL_POSTGRES_SETTINGS(Reader.LAUNCHER, Values.POSTGRES_SETTINGS, "", "extra PostgreSQL settings"),
    JAVA_OPTS(Reader.LAUNCHER, Values.TEXT, "", "options of the launcher's JVM, which runs the service"),
    INSTANCE_JAVA_OPTS(Reader.LAUNCHER, Values.TEXT, "", "with --instances, options of each instance's JVM"),
    RUN_LOCAL_SKIP_BUILD(Reader.LAUNCHER, Values.FLAG, "", "1 skips the build");

    /** Who reads a variable: the service itself, or only the launcher scripts and {@code bin/run-local}. */
    public enum Reader {
        SERVICE, LAUNCHER
    }

    private final Reader reader;
    private final Values values;
    private final String defaultValue;
    private final String meaning;

    Setting(Reader reader, Values values, String defaultValue, String meaning) {
        this.reader = reader;
        this.values = values;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    public Reader reader() {
        return reader;
    }

    /** The value the variable has when it is unset; empty when unset means "none". */
    public String defaultValue() {
        return defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    /** What the variable allows, as the end of a sentence ("a port from 1 to 65535"). */
    public String allowed() {
        return values.allowed;
    }

    /** True for a value that must never be echoed (passwords, tokens). */
    boolean secret() {
        return values == Values.SECRET;
    }

    /** One sentence that says what is wrong with {@code value}; empty when it is allowed. */
    Optional<String> problem(String value) {
        if (values.accepts(value)) {
            return Optional.empty();
        }
        if (value.isEmpty()) {
            return Optional.of(name() + " is set but empty; it must be " + values.allowed
                    + ", or unset" + (defaultValue.isEmpty() ? "" : " for the default, " + defaultValue) + ".");
        }
        return Optional.of(name() + (secret() ? "" : " is '" + value + "'") + "; it must be " + values.allowed + ".");
    }

    /**
     * The kinds of value. Numbers and durations are read with Micronaut's own converter, so that a
     * value this check accepts is one the service reads the same way.
     */
    enum Values {
        BOOLEAN("true or false") {
            @Override
            boolean accepts(String value) {
                // Micronaut would also read yes, on and y as true, and anything else as false
                return value.equals("true") || value.equals("false");
            }
        },
        PORT("a port from 1 to 65535") {
            @Override
            boolean accepts(String value) {
                return whole(value).filter(n -> n >= 1 && n <= 65_535).isPresent();
            }
        },
        POSITIVE("a whole number of at least 1") {
            @Override
            boolean accepts(String value) {
                return whole(value).filter(n -> n >= 1).isPresent();
            }
        },
        REPLICATION_FACTOR("a whole number from 1 to 32767") {
            @Override
            boolean accepts(String value) {
                return whole(value).filter(n -> n >= 1 && n <= Short.MAX_VALUE).isPresent();
            }
        },
        DURATION("a positive duration such as 5s or 1500ms") {
            @Override
            boolean accepts(String value) {
                return !value.isBlank() && ConversionService.SHARED.convert(value, Duration.class)
                        .filter(d -> !d.isNegative() && !d.isZero()).isPresent();
            }
        },
        TOPIC_NAME("at most 200 of the characters A-Z a-z 0-9 . _ -") {
            @Override
            boolean accepts(String value) {
                return TOPIC_CHARACTERS.matcher(value).matches();
            }
        },
        POSTGRES_SETTINGS("name=value pairs separated by ';'") {
            @Override
            boolean accepts(String value) {
                return PG_SETTINGS.matcher(value).matches();
            }
        },
        FLAG("1, or unset") {
            @Override
            boolean accepts(String value) {
                return value.equals("1") || value.isEmpty(); // the scripts read empty as unset
            }
        },
        PATH("a directory's path") {
            @Override
            boolean accepts(String value) {
                return !value.isBlank();
            }
        },
        TEXT("any text") {
            @Override
            boolean accepts(String value) {
                return true;
            }
        },
        SECRET("any text (never shown)") {
            @Override
            boolean accepts(String value) {
                return true;
            }
        };

        private static final Pattern TOPIC_CHARACTERS = Pattern.compile("[A-Za-z0-9._-]{0,200}");
        private static final Pattern PG_SETTINGS = Pattern.compile("\\s*(?:[A-Za-z_.]+\\s*=[^;]*(?:(?:;\\s*)+|$))*");

        private final String allowed;

        Values(String allowed) {
            this.allowed = allowed;
        }

        abstract boolean accepts(String value);

        /** The value as Micronaut reads a whole number; empty for anything it would not read as one. */
        static Optional<Long> whole(String value) {
            if (!value.matches("[0-9]{1,18}")) {
                return Optional.empty(); // the converter reads "1.5" as 1 and "-3" as -3; neither is meant
            }
            return ConversionService.SHARED.convert(value, Long.class);
        }
    }
}
