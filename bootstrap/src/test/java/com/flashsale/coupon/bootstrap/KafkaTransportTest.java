package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.adapter.kafka.gateway.RequestPublisher;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.worker.RequestBatches;
import com.flashsale.coupon.adapter.kafka.worker.RequestListener;
import com.flashsale.coupon.adapter.kafka.worker.RetryListener;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.configuration.kafka.config.AbstractKafkaProducerConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;

/**
 * micronaut-kafka really drives the transport: the retry worker is its listener, the request
 * worker's consumer comes from its factory, and both appear in the group, with the clients' metrics.
 */
@MicronautTest(transactional = false)
class KafkaTransportTest extends EventDrivenServiceTest {

    @Inject
    ApplicationContext context;

    @Test
    void theWorkersReadTheirTopicsInTheirGroups_andTheClientsMetricsIncludeConsumerLag() throws Exception {
        try (ApiClient api = new ApiClient(server.getURI());
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            ConsumerRegistry registry = context.getBean(ConsumerRegistry.class);
            assertThat(registry.getConsumerIds()).contains(RetryListener.CLIENT_ID);
            assertThat(registry.getConsumerSubscription(RetryListener.CLIENT_ID))
                    .containsExactlyInAnyOrder(KafkaTopics.CREATE_RETRY, KafkaTopics.CLAIM_RETRY,
                            KafkaTopics.GET_RETRY);
            assertThat(context.getBean(RequestListener.class).isConsuming()).isTrue();
            ConsumerGroupDescription workers = admin.describeConsumerGroups(List.of(RequestListener.GROUP))
                    .describedGroups().get(RequestListener.GROUP).get(10, TimeUnit.SECONDS);
            Set<String> assigned = new HashSet<>();
            workers.members().stream().filter(member -> member.clientId().equals(RequestListener.CLIENT_ID))
                    .forEach(member -> member.assignment().topicPartitions().forEach(tp -> assigned.add(tp.topic())));
            assertThat(assigned).containsExactlyInAnyOrderElementsOf(RequestListener.TOPICS);
            assertThat(workers.partitionAssignor()).isEqualTo("cooperative-sticky");

            String coupon = CouponApiContract.uniqueName("FRAMEWORK");
            assertThat(api.createCoupon(coupon, 10).status()).isEqualTo(201);
            assertThat(api.claim("framework_user", coupon).status()).isEqualTo(200);

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.getURI().resolve("/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(Pattern.compile("(?m)^kafka_consumer_\\w*records_lag\\w*\\{[^}]*client_id=\"coupon-worker\"")
                    .matcher(metrics).find()).as("a consumer-lag metric of the worker in%n%s", metrics).isTrue();
            assertThat(metrics).as("the worker's counters are exported")
                    .contains("coupon_kafka_retries_total", "coupon_kafka_dead_letters_total",
                            "coupon_kafka_expired_claims_total", "coupon_kafka_stale_replies_total");

            Answer health = api.get("/health");
            assertThat(health.body().get("details").get("kafka").get("status").asText()).isEqualTo("UP");
            assertThat(health.body().get("details").get(KafkaTransportHealthIndicator.NAME).get("status").asText())
                    .isEqualTo("UP");
        }
    }

    @Test
    void theProducers_takeTheirSettingsFromKafkaProducersInApplicationYml() {
        {
            Properties gateway = producerConfig(RequestPublisher.PRODUCER);
            Properties worker = producerConfig(RequestBatches.PRODUCER);
            for (Properties config : new Properties[] {gateway, worker}) {
                assertThat(setting(config, "enable.idempotence")).isEqualTo("true");
                assertThat(setting(config, "acks")).isEqualTo("all");
                assertThat(setting(config, "max.request.size")).isEqualTo(Integer.toString(32 * 1024 * 1024));
                assertThat(setting(config, "bootstrap.servers")).isEqualTo(bootstrapServers);
            }
            assertThat(setting(gateway, "compression.type")).isEqualTo("none");
            assertThat(setting(worker, "compression.type")).isEqualTo("lz4");
            assertThat(setting(gateway, "max.in.flight.requests.per.connection")).isEqualTo("1");
            assertThat(setting(gateway, "max.block.ms")).isEqualTo("5000");
            assertThat(setting(worker, "max.block.ms")).isEqualTo("500");
        }
    }

    /** YAML gives numbers and booleans as such; Kafka takes either, so compare their text. */
    private static String setting(Properties config, String key) {
        return String.valueOf(config.get(key));
    }

    private Properties producerConfig(String name) {
        return context.getBean(AbstractKafkaProducerConfiguration.class, Qualifiers.byName(name)).getConfig();
    }
}
