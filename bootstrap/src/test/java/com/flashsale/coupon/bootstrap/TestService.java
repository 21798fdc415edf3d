package com.flashsale.coupon.bootstrap;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The whole application, started in-process on a random port, as {@code java -jar} would start it. */
final class TestService implements AutoCloseable {

    private final EmbeddedServer server;

    private TestService(EmbeddedServer server) {
        this.server = server;
    }

    static TestService start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("micronaut.server.port", -1);
        all.putAll(properties);
        return new TestService(ApplicationContext.run(EmbeddedServer.class, all));
    }

    URI uri() {
        return server.getURI();
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
