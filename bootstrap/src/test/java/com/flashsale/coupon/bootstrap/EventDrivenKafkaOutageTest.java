package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /health} tells when Kafka is gone. The broker is embedded: the test takes it away. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventDrivenKafkaOutageTest implements TestPropertyProvider {

    private KafkaBrokerProcess broker;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        broker = KafkaBrokerProcess.startForTests();
        Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
        properties.putAll(TestKafka.eventDriven(broker));
        return TestService.asStrings(properties);
    }

    @AfterAll
    void stopBroker() {
        TestService.stopServerFirst(server);
        broker.close();
    }

    @Test
    void healthIsUpWithKafka_andDownOnceTheBrokerIsGone() throws Exception {
        TestService.awaitHealthy(server.getURI());
        try (ApiClient api = new ApiClient(server.getURI())) {
            Answer up = awaitHealth(api, 200);
            assertThat(up.body().get("details").get("kafka").get("status").asText()).isEqualTo("UP");
            assertThat(up.body().get("details").get(KafkaTransportHealthIndicator.NAME).get("status").asText())
                    .isEqualTo("UP");

            broker.close();
            Answer down = awaitHealth(api, 503);

            assertThat(down.status()).as(down.raw()).isEqualTo(503);
            assertThat(down.body().get("details").get("kafka").get("status").asText()).isEqualTo("DOWN");
            assertThat(down.body().get("details").get("jdbc").get("status").asText()).isEqualTo("UP");
        }
    }

    private static Answer awaitHealth(ApiClient api, int status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        Answer last = api.get("/health");
        while (last.status() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            last = api.get("/health");
        }
        return last;
    }
}
