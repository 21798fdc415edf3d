package com.flashsale.coupon.bootstrap;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of a {@code @MicronautTest} of one event-driven service on a broker of its own and a
 * database of its own, from {@link TestInfrastructure}; it starts once the service reports UP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EventDrivenServiceTest implements TestPropertyProvider {

    protected String bootstrapServers;

    @Inject
    EmbeddedServer server;

    /** Properties of this test's own, over the event-driven ones. */
    protected Map<String, Object> extraProperties() {
        return Map.of();
    }

    @Override
    public Map<String, String> getProperties() {
        bootstrapServers = TestInfrastructure.freshBroker().bootstrapServers();
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.freshDatabase());
        properties.putAll(TestKafka.eventDriven(bootstrapServers));
        properties.putAll(extraProperties());
        return TestService.asStrings(properties);
    }

    @BeforeAll
    void awaitHealthy() {
        TestService.awaitHealthy(server.getURI());
    }

    @AfterAll
    void stopServerFirst() {
        TestService.stopServerFirst(server);
    }
}
