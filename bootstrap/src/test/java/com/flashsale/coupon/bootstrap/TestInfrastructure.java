package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where the tests' PostgreSQL and Kafka come from: containers of the images of docker-compose.yml
 * where a Docker engine runs, the embedded servers elsewhere. {@code -Dcoupon.test.infra=auto}
 * (the default), {@code embedded} or {@code testcontainers} picks; the run prints which it used
 * and why. Tests that restart a server on the same port (the outage tests) always use the embedded
 * ones: a restarted container comes back on another mapped port.
 */
final class TestInfrastructure {

    static final String PROPERTY = "coupon.test.infra";
    /** The images of docker-compose.yml; {@code DockerComposeTest} holds the two together. */
    static final String POSTGRES_IMAGE = "postgres:16";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    enum Kind { EMBEDDED, TESTCONTAINERS }

    record Choice(Kind kind, String why) {
    }

    /** A broker for one test class. */
    interface Broker extends AutoCloseable {
        String bootstrapServers();

        @Override
        void close();
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Choice choice;
    private static PostgreSQLContainer<?> postgresContainer;
    private static Broker currentBroker;

    private TestInfrastructure() {
    }

    /** What the switch asks for, given why no Docker engine can be used (empty when one can). */
    static Choice choose(String requested, Supplier<Optional<String>> dockerProblem) {
        return switch (requested) {
            case "embedded" -> new Choice(Kind.EMBEDDED, "-D" + PROPERTY + "=embedded");
            case "testcontainers" -> new Choice(Kind.TESTCONTAINERS, "-D" + PROPERTY + "=testcontainers");
            case "auto" -> dockerProblem.get()
                    .map(problem -> new Choice(Kind.EMBEDDED, "auto: no Docker engine (" + problem + ")"))
                    .orElseGet(() -> new Choice(Kind.TESTCONTAINERS, "auto: a Docker engine answered"));
            default -> throw new IllegalArgumentException(
                    PROPERTY + " is auto, embedded or testcontainers; got '" + requested + "'");
        };
    }

    static synchronized Choice choice() {
        if (choice == null) {
            choice = choose(System.getProperty(PROPERTY, "auto"), TestInfrastructure::dockerProblem);
            System.out.println("test infrastructure: " + (choice.kind() == Kind.EMBEDDED
                    ? "embedded PostgreSQL 16 and Kafka broker" : "Testcontainers " + POSTGRES_IMAGE + " and "
                    + KAFKA_IMAGE) + " [" + choice.why() + "]");
        }
        return choice;
    }

    /**
     * Why Testcontainers cannot reach a Docker engine; empty when it can. Without a socket or a
     * DOCKER_HOST there is nothing to ask, and asking would only log Testcontainers' own errors.
     */
    static Optional<String> dockerProblem() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if ((dockerHost == null || dockerHost.isBlank()) && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return Optional.of("/var/run/docker.sock is missing and DOCKER_HOST is unset");
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable()
                    ? Optional.empty() : Optional.of("Testcontainers found no working Docker environment");
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Properties that point a service at a database of its own. */
    static Map<String, Object> freshDatabase() {
        if (choice().kind() == Kind.EMBEDDED) {
            return TestPostgres.freshDatabase();
        }
        PostgreSQLContainer<?> postgres = postgresContainer();
        String database = "coupons_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + " in the container", e);
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", "jdbc:postgresql://" + postgres.getHost() + ":"
                + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + database);
        properties.put("datasources.default.username", postgres.getUsername());
        properties.put("datasources.default.password", postgres.getPassword());
        return properties;
    }

    private static synchronized PostgreSQLContainer<?> postgresContainer() {
        if (postgresContainer == null) {
            postgresContainer = new PostgreSQLContainer<>(DockerImageName.parse(POSTGRES_IMAGE))
                    .withCommand("postgres", "-c", "max_connections=400");
            postgresContainer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(postgresContainer::stop, "postgres-container-stop"));
        }
        return postgresContainer;
    }

    /**
     * A broker of its own for one test class: a worker group new to a broker reads the request
     * topics from their beginning and must not meet another class's requests. The previous class's
     * broker is stopped here, after that class's service has stopped, not before it.
     */
    static synchronized Broker freshBroker() {
        if (currentBroker != null) {
            currentBroker.close();
        }
        currentBroker = choice().kind() == Kind.EMBEDDED ? embeddedBroker() : containerBroker();
        return currentBroker;
    }

    private static Broker embeddedBroker() {
        KafkaBrokerProcess broker = KafkaBrokerProcess.startForTests();
        return new Broker() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }

    private static Broker containerBroker() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", "33554432")
                .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", "33554432");
        kafka.start();
        return new Broker() {
            @Override
            public String bootstrapServers() {
                return kafka.getBootstrapServers();
            }

            @Override
            public void close() {
                kafka.stop();
            }
        };
    }
}
