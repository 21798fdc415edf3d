package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.worker.RequestListener;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What event-driven mode does when things go wrong: redelivery, poison, outages, lost replies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventDrivenFaultsTest {

    private KafkaBrokerProcess broker;
    private EmbeddedPostgresServer postgres;
    private RawKafka kafka;
    private final List<TestService> services = new ArrayList<>();
    private int instances;

    @BeforeAll
    void startInfrastructure() {
        broker = KafkaBrokerProcess.startForTests();
        postgres = EmbeddedPostgresServer.startForTests();
        postgres.createDatabase("coupons_faults");
        kafka = new RawKafka(broker.bootstrapServers());
    }

    @AfterEach
    void stopServices() {
        services.forEach(TestService::close);
        services.clear();
        postgres.start();
    }

    @AfterAll
    void stopInfrastructure() {
        kafka.close();
        broker.close();
        postgres.close();
    }

    private TestService service(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", postgres.jdbcUrl("coupons_faults"));
        properties.put("datasources.default.username", EmbeddedPostgresServer.USER);
        properties.put("datasources.default.password", EmbeddedPostgresServer.PASSWORD);
        properties.put("coupons.event-driven", true);
        properties.put("kafka.bootstrap.servers", broker.bootstrapServers());
        properties.put("coupons.kafka.instance-id", "faults-" + (++instances));
        properties.put("coupons.kafka.partitions", 2);
        properties.putAll(overrides);
        TestService service = TestService.start(properties);
        services.add(service);
        return service;
    }

    private static String claimJson(String requestId, String user, String coupon) {
        return "{\"v\":1,\"request_id\":\"" + requestId + "\",\"user_id\":\"" + user + "\",\"coupon_name\":\""
                + coupon + "\"}";
    }

    private static Map<String, String> requestHeaders(String correlationId, String replyTo) {
        return Map.of(KafkaHeaders.CORRELATION_ID, correlationId, KafkaHeaders.REPLY_TO, replyTo,
                KafkaHeaders.DEADLINE, Long.toString(System.currentTimeMillis() + 30_000));
    }

    /** Creates a coupon as a careful client would: repeating the same request after a 504 is safe. */
    private static void createSurely(ApiClient api, String name, int amount) {
        String body = ApiClient.json(Map.of("name", name, "amount", amount));
        Map<String, String> key = Map.of("Idempotency-Key", "create-" + name);
        for (int attempt = 0; attempt < 5; attempt++) {
            Answer answer = api.post("/api/coupons", "application/json", body, key);
            if (answer.status() == 201) {
                return;
            }
            assertThat(answer.status()).as(answer.raw()).isEqualTo(504);
        }
        throw new AssertionError("could not create " + name);
    }

    @Test
    void aRequestDeliveredTwice_makesOneClaim_andGetsTwoIdenticalReplies() throws Exception {
        ApiClient api = new ApiClient(service(Map.of()).uri());
        String coupon = "TWICE_" + UUID.randomUUID().toString().substring(0, 8);
        api.createCoupon(coupon, 5);
        String replyTopic = KafkaTopics.replyTopic("probe-" + coupon);
        kafka.createTopic(replyTopic);
        String body = claimJson("req-" + coupon, "twice_user", coupon);

        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, body, requestHeaders("corr-1", replyTopic));
        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, body, requestHeaders("corr-1", replyTopic));
        List<ConsumerRecord<String, byte[]>> replies = kafka.await(replyTopic, r -> true, 2, Duration.ofSeconds(20));

        assertThat(replies).hasSize(2);
        assertThat(RawKafka.value(replies.get(0))).isEqualTo(RawKafka.value(replies.get(1)))
                .contains("\"outcome\":\"claimed\"");
        JsonNode after = api.existingCoupon(coupon);
        assertThat(after.get("remaining_amount").asInt()).isEqualTo(4);
        assertThat(after.get("claimed_by").toString()).isEqualTo("[\"twice_user\"]");
        api.close();
    }

    /**
     * A plain client's single claims and a gateway's batch of claims, one after another on one
     * partition (one key): every claim is applied once and answered to its own correlation id.
     */
    @Test
    void batchedAndSingleClaims_mixedOnOnePartition_areEachAnsweredOnce() throws Exception {
        ApiClient api = new ApiClient(service(Map.of()).uri());
        String coupon = "MIXED_" + UUID.randomUUID().toString().substring(0, 8);
        api.createCoupon(coupon, 3);
        String replyTopic = KafkaTopics.replyTopic("probe-" + coupon);
        kafka.createTopic(replyTopic);
        long deadline = System.currentTimeMillis() + 30_000;
        String batch = "{\"v\":1,\"coupon_name\":\"" + coupon + "\",\"claims\":["
                + "{\"correlation_id\":\"corr-b1\",\"request_id\":\"req-b1-" + coupon + "\",\"user_id\":\"batched_1\",\"deadline\":" + deadline + "},"
                + "{\"correlation_id\":\"corr-b2\",\"request_id\":\"req-b2-" + coupon + "\",\"user_id\":\"batched_2\",\"deadline\":" + deadline + "},"
                + "{\"correlation_id\":\"corr-b3\",\"request_id\":\"req-b3-" + coupon + "\",\"user_id\":\"batched_3\",\"deadline\":" + deadline + "}]}";

        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, claimJson("req-s1-" + coupon, "single_1", coupon),
                requestHeaders("corr-s1", replyTopic));
        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, batch, Map.of(KafkaHeaders.REPLY_TO, replyTopic,
                KafkaHeaders.CLAIMS, "3"));
        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, claimJson("req-s2-" + coupon, "single_2", coupon),
                requestHeaders("corr-s2", replyTopic));
        List<ConsumerRecord<String, byte[]>> replies = kafka.await(replyTopic, r -> true, 5, Duration.ofSeconds(20));

        Map<String, String> outcomes = new HashMap<>();
        replies.forEach(reply -> outcomes.merge(RawKafka.header(reply, KafkaHeaders.CORRELATION_ID),
                RawKafka.value(reply).replaceAll(".*\"outcome\":\"([a-z_]+)\".*", "$1"), (a, b) -> a + "," + b));
        assertThat(outcomes).containsOnlyKeys("corr-s1", "corr-b1", "corr-b2", "corr-b3", "corr-s2");
        // in the order read: the first three take the stock, the last two find none left
        assertThat(outcomes).containsEntry("corr-s1", "claimed").containsEntry("corr-b1", "claimed")
                .containsEntry("corr-b2", "claimed").containsEntry("corr-b3", "sold_out")
                .containsEntry("corr-s2", "sold_out");
        JsonNode after = api.existingCoupon(coupon);
        assertThat(after.get("remaining_amount").asInt()).isZero();
        List<String> holders = new ArrayList<>();
        after.get("claimed_by").forEach(holder -> holders.add(holder.asText()));
        assertThat(holders).containsExactlyInAnyOrder("single_1", "batched_1", "batched_2");
        api.close();
    }

    /**
     * The worker's store hangs on one coupon's claim, while a later claim on the other partition is
     * served; then the worker stops. Its commit passes the served claim but not the hung one, so the
     * worker that takes over applies the hung claim, once, and its caller is told 200; the served
     * claim is not applied twice.
     */
    @Test
    void aWorkerThatStopsWithAnEarlierBatchUnfinished_commitsOnlyWhatIsDone_andItsSuccessorAnswers() throws Exception {
        TestService dying = service(Map.of("test.hold-claims-of", "HELD_"));
        // the callers' gateway has no worker, and waits long enough for the successor to answer
        TestService gateway = service(Map.of("coupons.kafka.worker-enabled", false,
                "coupons.kafka.request-timeout", "60s"));
        ApiClient api = new ApiClient(gateway.uri());
        String held = "HELD_" + UUID.randomUUID().toString().substring(0, 8);
        String served = "SERVED_" + UUID.randomUUID().toString().substring(0, 8);
        while (partitionOf(served) == partitionOf(held)) {
            served = "SERVED_" + UUID.randomUUID().toString().substring(0, 8);
        }
        String servedCoupon = served;
        createSurely(api, held, 5);
        createSurely(api, served, 5);

        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> heldClaim = http.sendAsync(HttpRequest.newBuilder(
                        gateway.uri().resolve("/api/coupons/claim")).timeout(Duration.ofSeconds(90))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ApiClient.json(Map.of("user_id", "held_user",
                                "coupon_name", held)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(dying.context().getBean(HoldClaims.class).held.await(20, TimeUnit.SECONDS))
                .as("the worker took the held claim").isTrue();
        Answer servedClaim = api.claim("served_user", served);
        assertThat(servedClaim.status()).as(servedClaim.raw()).isEqualTo(200);

        dying.close();
        services.remove(dying);
        Map<Integer, Long> claimOffsets = new HashMap<>();
        kafka.await(KafkaTopics.CLAIM_REQUESTS, r -> r.key().equals(held) || r.key().equals(servedCoupon), 2,
                Duration.ofSeconds(20)).forEach(r -> claimOffsets.put(r.partition(), r.offset()));
        Map<Integer, Long> committed = committedClaimOffsets();
        assertThat(committed.getOrDefault(partitionOf(held), 0L)).as("not committed past the hung claim")
                .isLessThanOrEqualTo(claimOffsets.get(partitionOf(held)));
        assertThat(committed.get(partitionOf(served))).as("committed past the served claim")
                .isGreaterThan(claimOffsets.get(partitionOf(served)));

        service(Map.of()); // the successor takes the partitions and reads the hung claim again
        HttpResponse<String> told = heldClaim.get(90, TimeUnit.SECONDS);
        assertThat(told.statusCode()).as(told.body()).isEqualTo(200);
        JsonNode heldAfter = api.existingCoupon(held);
        assertThat(heldAfter.get("claimed_by").toString()).isEqualTo("[\"held_user\"]");
        assertThat(heldAfter.get("remaining_amount").asInt()).isEqualTo(4);
        JsonNode servedAfter = api.existingCoupon(served);
        assertThat(servedAfter.get("claimed_by").toString()).isEqualTo("[\"served_user\"]");
        assertThat(servedAfter.get("remaining_amount").asInt()).isEqualTo(4);
        api.close();
    }

    /** The claim topic's partition of a coupon's records: the producers' default partitioner on its name. */
    private static int partitionOf(String coupon) {
        return Utils.toPositive(Utils.murmur2(coupon.getBytes(StandardCharsets.UTF_8))) % 2;
    }

    /** The workers' group's committed offsets on the claim topic, by partition. */
    private Map<Integer, Long> committedClaimOffsets() throws Exception {
        Map<Integer, Long> offsets = new HashMap<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.listConsumerGroupOffsets(RequestListener.GROUP).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).forEach((partition, offset) -> {
                        if (partition.topic().equals(KafkaTopics.CLAIM_REQUESTS)) {
                            offsets.put(partition.partition(), offset.offset());
                        }
                    });
        }
        return offsets;
    }

    @Test
    void aPoisonRecord_goesToTheDeadLetterTopic_andThePartitionKeepsServing() throws Exception {
        ApiClient api = new ApiClient(service(Map.of()).uri());
        String coupon = "POISON_" + UUID.randomUUID().toString().substring(0, 8);
        api.createCoupon(coupon, 5);
        String replyTopic = KafkaTopics.replyTopic("probe-" + coupon);
        kafka.createTopic(replyTopic);

        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, "this is not json", requestHeaders("poison-1", replyTopic));
        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, "{\"v\":99,\"request_id\":\"x\"}", Map.of());
        Answer claim = api.claim("after_poison", coupon);

        assertThat(claim.status()).as(claim.raw()).isEqualTo(200);
        List<ConsumerRecord<String, byte[]>> dead = kafka.await(KafkaTopics.CLAIM_DLQ,
                r -> coupon.equals(r.key()), 2, Duration.ofSeconds(20));
        assertThat(dead).hasSize(2);
        assertThat(RawKafka.header(dead.get(0), KafkaHeaders.ERROR_CLASS)).contains("MalformedMessage");
        assertThat(RawKafka.header(dead.get(0), KafkaHeaders.ORIGINAL_TOPIC)).isEqualTo(KafkaTopics.CLAIM_REQUESTS);
        assertThat(RawKafka.header(dead.get(1), KafkaHeaders.ERROR_MESSAGE))
                .isEqualTo("schema version 99 is not supported; this service reads version 1");
        List<ConsumerRecord<String, byte[]>> told = kafka.await(replyTopic, r -> true, 1, Duration.ofSeconds(10));
        assertThat(RawKafka.value(told.get(0))).contains("\"outcome\":\"failed\"");
        api.close();
    }

    @Test
    void withPostgresStopped_aClaimGoesToTheRetryTopic_andIsAppliedOnceWhenItComesBack() throws Exception {
        ApiClient api = new ApiClient(service(Map.of(
                "coupons.kafka.request-timeout", "30s",
                "coupons.kafka.retry-backoffs", "500ms,1s,2s,4s,8s")).uri());
        String coupon = "OUTAGE_" + UUID.randomUUID().toString().substring(0, 8);
        api.createCoupon(coupon, 5);

        postgres.stop();
        CompletableFuture<Answer> claim = api.claimAsync("patient_user", coupon);
        List<ConsumerRecord<String, byte[]>> retried = kafka.await(KafkaTopics.CLAIM_RETRY,
                r -> coupon.equals(r.key()), 1, Duration.ofSeconds(15));
        assertThat(retried).isNotEmpty();
        assertThat(RawKafka.header(retried.get(0), KafkaHeaders.ATTEMPT)).isEqualTo("1");
        assertThat(claim).isNotDone();
        postgres.start();

        Answer answer = claim.get();
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode after = api.existingCoupon(coupon);
        assertThat(after.get("claimed_by").toString()).isEqualTo("[\"patient_user\"]");
        assertThat(after.get("remaining_amount").asInt()).isEqualTo(4);
        api.close();
    }

    @Test
    void withPostgresDownPastTheLastRetry_theClaimIsDeadLettered_andHttpAnswers500() throws Exception {
        ApiClient api = new ApiClient(service(Map.of(
                "coupons.kafka.request-timeout", "20s",
                "coupons.kafka.retry-backoffs", "200ms,400ms")).uri());
        String coupon = "GONE_" + UUID.randomUUID().toString().substring(0, 8);
        api.createCoupon(coupon, 5);

        postgres.stop();
        Answer answer = api.claim("unlucky_user", coupon);

        assertThat(answer.status()).as(answer.raw()).isEqualTo(500);
        assertThat(answer.error()).isEqualTo("internal_error");
        List<ConsumerRecord<String, byte[]>> dead = kafka.await(KafkaTopics.CLAIM_DLQ,
                r -> coupon.equals(r.key()), 1, Duration.ofSeconds(10));
        assertThat(dead).hasSize(1);
        assertThat(RawKafka.header(dead.get(0), KafkaHeaders.ATTEMPT)).isEqualTo("2");
        assertThat(RawKafka.header(dead.get(0), KafkaHeaders.ERROR_CLASS)).contains("StoreUnavailable");
        postgres.start();
        api.awaitHealthy();
        assertThat(api.existingCoupon(coupon).get("remaining_amount").asInt()).isEqualTo(5);
        api.close();
    }

    @Test
    void withTheDatabaseDown_andTheDefaultSettings_theWholeRetryChainEndsInsideTheDeadline_with500() throws Exception {
        ApiClient api = new ApiClient(service(Map.of()).uri());
        String coupon = "CHAIN_" + UUID.randomUUID().toString().substring(0, 8);
        api.createCoupon(coupon, 5);

        postgres.stop();
        Instant sent = Instant.now();
        Answer answer = api.claim("chain_user", coupon);
        Duration chain = Duration.between(sent, Instant.now());
        postgres.start();

        System.out.println("retry chain with the database down, default settings: " + chain.toMillis() + " ms");
        assertThat(answer.status()).as(answer.raw()).isEqualTo(500);
        assertThat(chain).isLessThan(Duration.ofSeconds(5));
        List<ConsumerRecord<String, byte[]>> dead = kafka.await(KafkaTopics.CLAIM_DLQ,
                r -> coupon.equals(r.key()), 1, Duration.ofSeconds(10));
        assertThat(RawKafka.header(dead.get(0), KafkaHeaders.ATTEMPT)).isEqualTo("4");
        api.close();
    }

    @Test
    void aGatewayWhoseReplyNeverComes_answers504AtItsDeadline() {
        ApiClient api = new ApiClient(service(Map.of(
                "coupons.kafka.request-timeout", "1500ms",
                "coupons.kafka.worker-enabled", false)).uri());

        Instant sent = Instant.now();
        Answer answer = api.claim("waiting_user", "NO_WORKER");
        Duration waited = Duration.between(sent, Instant.now());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(504);
        assertThat(answer.error()).isEqualTo("timeout");
        assertThat(answer.body().get("message").asText()).contains("unknown").contains("safe");
        assertThat(waited).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(5));
        api.close();
    }

    @Test
    void aClaimRetriedAfterItsCallersDeadline_takesNoStock_andTheCallerMayClaimAgain() throws Exception {
        TestService service = service(Map.of(
                "coupons.kafka.request-timeout", "1500ms",
                "coupons.kafka.retry-backoffs", "2500ms"));
        ApiClient api = new ApiClient(service.uri());
        String coupon = "LATE_" + UUID.randomUUID().toString().substring(0, 8);
        createSurely(api, coupon, 5);
        long timeoutsBefore = MeterCounts.of(service.context(), "coupon.kafka.timeouts");
        long expiredBefore = MeterCounts.of(service.context(), "coupon.kafka.expired.claims");

        postgres.stop();
        Answer answer = api.claim("late_user", coupon);
        postgres.start();
        api.awaitHealthy();

        assertThat(answer.status()).as(answer.raw()).isEqualTo(504);
        Instant deadline = Instant.now().plusSeconds(20);
        while (MeterCounts.of(service.context(), "coupon.kafka.expired.claims") == expiredBefore
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(MeterCounts.of(service.context(), "coupon.kafka.expired.claims") - expiredBefore).isEqualTo(1);
        assertThat(MeterCounts.of(service.context(), "coupon.kafka.timeouts") - timeoutsBefore).isEqualTo(1);
        JsonNode after = api.existingCoupon(coupon);
        assertThat(after.get("claimed_by").toString()).isEqualTo("[]");
        assertThat(after.get("remaining_amount").asInt()).isEqualTo(5);
        assertThat(api.claim("late_user", coupon).status()).isEqualTo(200);
        api.close();
    }

    @Test
    void aClaimThatReachesTheWorkerAfterItsDeadline_takesNoStock() throws Exception {
        ApiClient api = new ApiClient(service(Map.of()).uri());
        String coupon = "EXPIRED_" + UUID.randomUUID().toString().substring(0, 8);
        api.createCoupon(coupon, 5);
        String replyTopic = KafkaTopics.replyTopic("probe-" + coupon);
        kafka.createTopic(replyTopic);

        kafka.send(KafkaTopics.CLAIM_REQUESTS, coupon, claimJson("req-expired-" + coupon, "gave_up_user", coupon),
                Map.of(KafkaHeaders.CORRELATION_ID, "expired-1", KafkaHeaders.REPLY_TO, replyTopic,
                        KafkaHeaders.DEADLINE, Long.toString(System.currentTimeMillis() - 1_000)));
        // the same partition, after it: once this is answered, the expired claim has been read
        Answer later = api.claim("waiting_user", coupon);

        assertThat(later.status()).as(later.raw()).isEqualTo(200);
        JsonNode after = api.existingCoupon(coupon);
        assertThat(after.get("claimed_by").toString()).isEqualTo("[\"waiting_user\"]");
        assertThat(after.get("remaining_amount").asInt()).isEqualTo(4);
        assertThat(kafka.await(replyTopic, r -> true, 1, Duration.ofSeconds(2))).isEmpty();
        api.close();
    }

    /**
     * Claims keep arriving while a second worker joins the group, so that partitions are revoked
     * while the first worker has batches in flight: no claim is lost or granted twice, and
     * every caller hears the truth (or 504, when its outcome is unknown).
     */
    @Test
    void aRebalanceWhileBatchesAreInFlight_losesNoClaim_grantsNoneTwice_andEveryAnswerIsTrue() throws Exception {
        TestService first = service(Map.of());
        ApiClient api = new ApiClient(first.uri());
        List<String> coupons = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            coupons.add("REBALANCE_" + i + "_" + UUID.randomUUID().toString().substring(0, 8));
            createSurely(api, coupons.get(i), 100_000);
        }
        Map<String, Answer> told = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sale = new Thread(() -> {
            for (int round = 0; sending.get() && round < 2_000; round++) {
                List<CompletableFuture<Answer>> wave = new ArrayList<>();
                List<String> users = new ArrayList<>();
                for (int c = 0; c < 24; c++) {
                    String user = "u" + round + "_" + c;
                    users.add(user + "@" + coupons.get(c % coupons.size()));
                    wave.add(api.claimAsync(user, coupons.get(c % coupons.size())));
                }
                for (int c = 0; c < wave.size(); c++) {
                    told.put(users.get(c), wave.get(c).join());
                }
            }
        }, "rebalance-sale");
        sale.start();
        Thread.sleep(1_000);
        // joins the workers' group: partitions move mid-sale (it reports UP only once its worker has its partitions)
        TestService second = service(Map.of());
        Thread.sleep(2_000);
        sending.set(false);
        sale.join();

        Map<Integer, Long> statuses = new java.util.TreeMap<>();
        told.values().forEach(answer -> statuses.merge(answer.status(), 1L, Long::sum));
        System.out.println("claims across a rebalance, by status: " + statuses);
        assertThat(told.values()).allSatisfy(answer -> assertThat(answer.status()).as(answer.raw()).isIn(200, 504));
        ApiClient throughSecond = new ApiClient(second.uri());
        for (String coupon : coupons) {
            JsonNode after = throughSecond.existingCoupon(coupon);
            Set<String> holders = new java.util.HashSet<>();
            after.get("claimed_by").forEach(holder -> holders.add(holder.asText()));
            assertThat(after.get("claimed_by").size()).as("nobody holds twice").isEqualTo(holders.size());
            assertThat(after.get("remaining_amount").asInt()).isEqualTo(100_000 - holders.size());
            told.forEach((key, answer) -> {
                String user = key.substring(0, key.indexOf('@'));
                if (!key.endsWith("@" + coupon)) {
                    return;
                }
                if (answer.status() == 200) {
                    assertThat(holders).as("told 200").contains(user);
                } else {
                    holders.remove(user); // 504: either outcome is true
                }
            });
            long told200 = told.entrySet().stream().filter(e -> e.getKey().endsWith("@" + coupon))
                    .filter(e -> e.getValue().status() == 200).count();
            assertThat(holders).as("every holder was told 200, or 504").hasSize((int) told200);
        }
        assertThat(statuses.getOrDefault(200, 0L)).isPositive();
        throughSecond.close();
        api.close();
    }

    @Test
    void twoGateways_eachReceiveOnlyTheirOwnReplies() throws Exception {
        TestService first = service(Map.of());
        TestService second = service(Map.of());
        ApiClient one = new ApiClient(first.uri());
        ApiClient two = new ApiClient(second.uri());
        String coupon = "SHARED_" + UUID.randomUUID().toString().substring(0, 8);
        one.createCoupon(coupon, 1000);

        List<CompletableFuture<Answer>> fromOne = new ArrayList<>();
        List<CompletableFuture<Answer>> fromTwo = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fromOne.add(one.claimAsync("one_" + i, coupon));
            fromTwo.add(two.claimAsync("two_" + i, coupon));
        }

        for (int i = 0; i < 100; i++) {
            Answer a = fromOne.get(i).get();
            Answer b = fromTwo.get(i).get();
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            assertThat(b.status()).as(b.raw()).isEqualTo(200);
            assertThat(a.body().get("user_id").asText()).isEqualTo("one_" + i);
            assertThat(b.body().get("user_id").asText()).isEqualTo("two_" + i);
        }
        var gatewayOne = first.context().getBean(com.flashsale.coupon.adapter.kafka.gateway.KafkaFlashSale.class);
        var gatewayTwo = second.context().getBean(com.flashsale.coupon.adapter.kafka.gateway.KafkaFlashSale.class);
        assertThat(Set.of(gatewayOne.replyTopic(), gatewayTwo.replyTopic())).hasSize(2);
        assertThat(MeterCounts.of(first.context(), "coupon.kafka.late.replies")
                + MeterCounts.of(second.context(), "coupon.kafka.late.replies")).isZero();
        assertThat(one.existingCoupon(coupon).get("remaining_amount").asInt()).isEqualTo(800);
        one.close();
        two.close();
    }
}
