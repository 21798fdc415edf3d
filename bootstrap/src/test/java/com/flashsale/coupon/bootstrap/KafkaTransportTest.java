package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.adapter.kafka.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.RequestBatches;
import com.flashsale.coupon.adapter.kafka.RequestListener;
import com.flashsale.coupon.adapter.kafka.RequestPublisher;
import com.flashsale.coupon.adapter.kafka.RetryListener;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.configuration.kafka.config.AbstractKafkaProducerConfiguration;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** micronaut-kafka really drives the transport: its listeners, producers, health and client metrics. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaTransportTest {

    private KafkaBrokerProcess broker;

    @BeforeAll
    void startBroker() {
        broker = KafkaBrokerProcess.startForTests();
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    private TestService service(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
        properties.putAll(TestKafka.eventDriven(broker));
        properties.putAll(overrides);
        return TestService.start(properties);
    }

    @Test
    void theWorkersAreMicronautKafkaListeners_andTheClientsMetricsIncludeConsumerLag() throws Exception {
        try (TestService service = service(Map.of()); ApiClient api = new ApiClient(service.uri())) {
            ConsumerRegistry registry = service.context().getBean(ConsumerRegistry.class);
            assertThat(registry.getConsumerIds()).contains(RequestListener.CLIENT_ID, RetryListener.CLIENT_ID);
            assertThat(registry.getConsumerSubscription(RequestListener.CLIENT_ID))
                    .containsExactlyInAnyOrder(KafkaTopics.CREATE_REQUESTS, KafkaTopics.CLAIM_REQUESTS,
                            KafkaTopics.GET_REQUESTS);
            assertThat(registry.getConsumerSubscription(RetryListener.CLIENT_ID))
                    .containsExactlyInAnyOrder(KafkaTopics.CREATE_RETRY, KafkaTopics.CLAIM_RETRY,
                            KafkaTopics.GET_RETRY);

            String coupon = CouponApiContract.uniqueName("FRAMEWORK");
            assertThat(api.createCoupon(coupon, 10).status()).isEqualTo(201);
            assertThat(api.claim("framework_user", coupon).status()).isEqualTo(200);

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.uri().resolve("/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(Pattern.compile("(?m)^kafka_consumer_\\w*records_lag\\w*\\{[^}]*client_id=\"coupon-worker\"")
                    .matcher(metrics).find()).as("a consumer-lag metric of the worker in%n%s", metrics).isTrue();

            Answer health = api.get("/health");
            assertThat(health.body().get("details").get("kafka").get("status").asText()).isEqualTo("UP");
            assertThat(health.body().get("details").get(KafkaTransportHealthIndicator.NAME).get("status").asText())
                    .isEqualTo("UP");
        }
    }

    @Test
    void theProducers_takeTheirSettingsFromKafkaProducersInApplicationYml() {
        try (TestService service = service(Map.of())) {
            Properties gateway = producerConfig(service, RequestPublisher.PRODUCER);
            Properties worker = producerConfig(service, RequestBatches.PRODUCER);
            for (Properties config : new Properties[] {gateway, worker}) {
                assertThat(setting(config, "compression.type")).isEqualTo("lz4");
                assertThat(setting(config, "enable.idempotence")).isEqualTo("true");
                assertThat(setting(config, "acks")).isEqualTo("all");
                assertThat(setting(config, "max.request.size")).isEqualTo(Integer.toString(32 * 1024 * 1024));
                assertThat(setting(config, "bootstrap.servers")).isEqualTo(broker.bootstrapServers());
            }
            assertThat(setting(gateway, "max.block.ms")).isEqualTo("5000");
            assertThat(setting(worker, "max.block.ms")).isEqualTo("500");
        }
    }

    /** YAML gives numbers and booleans as such; Kafka takes either, so compare their text. */
    private static String setting(Properties config, String key) {
        return String.valueOf(config.get(key));
    }

    private static Properties producerConfig(TestService service, String name) {
        return service.context().getBean(AbstractKafkaProducerConfiguration.class, Qualifiers.byName(name)).getConfig();
    }

    @Test
    void aBatchThatFails_isReadAgain_andNotCommittedPast() throws Exception {
        try (TestService service = service(Map.of("test.fail-first-claim-batch", true));
             ApiClient api = new ApiClient(service.uri());
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            FailFirstClaimBatch fault = service.context().getBean(FailFirstClaimBatch.class);
            String coupon = CouponApiContract.uniqueName("FAILONCE");
            assertThat(api.createCoupon(coupon, 5).status()).isEqualTo(201);

            Answer claim = api.claim("patient_user", coupon);

            assertThat(claim.status()).as(claim.raw()).isEqualTo(200);
            assertThat(fault.claimsSeen).hasSize(2);
            ClaimCoupon first = fault.claimsSeen.get(0);
            assertThat(fault.claimsSeen.get(1)).isEqualTo(first);
            Answer after = api.coupon(coupon);
            assertThat(after.body().get("claimed_by").toString()).isEqualTo("[\"patient_user\"]");
            assertThat(after.body().get("remaining_amount").asInt()).isEqualTo(4);

            // committed once it was served: the group's offsets reach the end of every claim partition
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(RequestListener.GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().stream().filter(p -> p.topic().equals(KafkaTopics.CLAIM_REQUESTS))
                    .forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            assertThat(ends).isNotEmpty();
            ends.forEach((partition, end) ->
                    assertThat(committed.get(partition).offset()).as(partition.toString()).isEqualTo(end.offset()));
        }
    }
}
