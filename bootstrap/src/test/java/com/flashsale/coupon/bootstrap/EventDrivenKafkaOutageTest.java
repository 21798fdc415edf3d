package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /health} tells when Kafka is gone. */
class EventDrivenKafkaOutageTest {

    @Test
    void healthIsUpWithKafka_andDownOnceTheBrokerIsGone() throws Exception {
        KafkaBrokerProcess broker = KafkaBrokerProcess.startForTests();
        Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
        properties.putAll(TestKafka.eventDriven(broker));
        try (TestService service = TestService.start(properties); ApiClient api = new ApiClient(service.uri())) {
            assertThat(awaitHealth(api, 200).body().get("details").get("kafka").get("status").asText())
                    .isEqualTo("UP");

            broker.close();
            Answer down = awaitHealth(api, 503);

            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body().get("details").get("kafka").get("status").asText()).isEqualTo("DOWN");
            assertThat(down.body().get("details").get("jdbc").get("status").asText()).isEqualTo("UP");
        } finally {
            broker.close();
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
