package com.flashsale.coupon.bootstrap;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The whole application, started in-process on a random port, as {@code java -jar} would start it. */
final class TestService implements AutoCloseable {

    private final EmbeddedServer server;

    private TestService(EmbeddedServer server) {
        this.server = server;
    }

    /** Starts the service and waits until /health is UP: in event-driven mode, until its worker has partitions. */
    static TestService start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("micronaut.server.port", -1);
        all.putAll(properties);
        TestService service = new TestService(ApplicationContext.run(EmbeddedServer.class, all));
        awaitHealthy(service.uri());
        return service;
    }

    /** Properties as {@code TestPropertyProvider} hands them to {@code @MicronautTest}, with a random port. */
    static Map<String, String> asStrings(Map<String, Object> properties) {
        Map<String, String> strings = new HashMap<>();
        strings.put("micronaut.server.port", "-1");
        properties.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }

    /** Waits until the service at {@code base} reports UP: in event-driven mode, until its worker has partitions. */
    static void awaitHealthy(URI base) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(5)).build();
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < giveUp) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
                Thread.sleep(100);
            } catch (IOException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the service under test did not report UP within 60 s");
    }

    URI uri() {
        return server.getURI();
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    /**
     * Stops the service as its shutdown hook does: the server first, which tells the beans that
     * the application shuts down while they all still run, then the context. Closing the context
     * directly would tell them during its teardown, and micronaut-kafka would then make an admin
     * client nobody closes.
     */
    @Override
    public void close() {
        stopServerFirst(server);
        server.getApplicationContext().close();
    }

    /** For a {@code @MicronautTest} too, whose extension closes the context afterwards. */
    static void stopServerFirst(EmbeddedServer server) {
        if (server.isRunning()) {
            server.stop();
        }
    }
}
