package com.flashsale.coupon.bootstrap;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Before the service starts, asks whether each server it needs answers at all, and says in one
 * sentence per server what is missing and which variable points at it. Without it, a missing
 * server surfaces as whichever bean happened to need it first, deep in a stack trace.
 */
final class StartupCheck {

    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private StartupCheck() {
    }

    /** The problems, one sentence each, with the configuration {@code args} and the environment give. */
    static List<String> problems(String[] args) {
        ApplicationContext context = ApplicationContext.builder().args(args).deduceEnvironment(false).build();
        Environment environment = context.getEnvironment().start();
        try {
            return problems(environment);
        } finally {
            environment.stop();
        }
    }

    static List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        String jdbcUrl = environment.getProperty("datasources.default.url", String.class).orElse("");
        postgresAddress(jdbcUrl).flatMap(StartupCheck::unreachable).ifPresent(why ->
                problems.add("PostgreSQL is not reachable at " + hostAndPort(jdbcUrl) + " (DB_HOST, DB_PORT): " + why
                        + ". Start it there, or point DB_HOST and DB_PORT at one."));
        boolean eventDriven = environment.getProperty("coupons.event-driven", Boolean.class).orElse(true);
        if (eventDriven) {
            String servers = environment.getProperty("kafka.bootstrap.servers", String.class).orElse("");
            kafkaUnreachable(servers).ifPresent(why ->
                    problems.add("Kafka is not reachable at " + servers + " (KAFKA_BROKERS): " + why
                            + ". Start a broker there, point KAFKA_BROKERS at one, or set EVENT_DRIVEN_ENABLED=false"
                            + " to run without Kafka."));
        }
        return problems;
    }

    /** Empty when at least one of the bootstrap servers accepts a connection. */
    private static Optional<String> kafkaUnreachable(String servers) {
        String last = "no bootstrap server is configured";
        for (String server : servers.split(",")) {
            Optional<InetSocketAddress> address = address(server.trim(), 9092);
            if (address.isEmpty()) {
                last = "'" + server.trim() + "' is not host:port";
                continue;
            }
            Optional<String> why = unreachable(address.get());
            if (why.isEmpty()) {
                return Optional.empty();
            }
            last = why.get();
        }
        return Optional.of(last);
    }

    private static Optional<InetSocketAddress> postgresAddress(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql://") ? address(hostAndPort(jdbcUrl), 5432) : Optional.empty();
    }

    private static String hostAndPort(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int end = rest.indexOf('/');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static Optional<InetSocketAddress> address(String hostAndPort, int defaultPort) {
        try {
            URI uri = URI.create("tcp://" + hostAndPort);
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(InetSocketAddress.createUnresolved(uri.getHost(),
                    uri.getPort() < 0 ? defaultPort : uri.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Why nothing accepts a connection at {@code address}; empty when something does. */
    private static Optional<String> unreachable(InetSocketAddress address) {
        InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
        if (resolved.isUnresolved()) {
            return Optional.of("unknown host " + address.getHostString());
        }
        try (Socket socket = new Socket()) {
            socket.connect(resolved, CONNECT_TIMEOUT_MS);
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("unknown host " + address.getHostString());
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of(message.replaceAll("\\s*\\(.*\\)$", "").toLowerCase(java.util.Locale.ROOT));
        }
    }
}
