package com.flashsale.coupon.adapter.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.wire.Messages;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.in.TemporarilyUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Where the worker sends each record: a reply, a retry, or a dead letter. The handler decides, the
 * publisher sends; Kafka's MockProducer stands in for the broker.
 */
class RequestHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Use cases that answer every claim with {@code claimed}, or fail them all as an outage. */
    private static FlashSale useCases(boolean storeDown) {
        return new FlashSale() {
            @Override
            public CompletionStage<CreateOutcome> create(CreateCoupon command) {
                return CompletableFuture.completedFuture(
                        new CreateOutcome.Created(Coupon.fresh(command.name(), command.amount())));
            }

            @Override
            public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
                return storeDown
                        ? CompletableFuture.failedFuture(new TemporarilyUnavailableException("database down", null))
                        : CompletableFuture.completedFuture(new ClaimOutcome.Claimed(command.couponName(), command.userId()));
            }

            @Override
            public CompletionStage<Optional<Coupon>> find(CouponName name) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private ConsumerRecord<String, byte[]> claimRecord(String replyTo, long deadline, int attempt, String value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(KafkaTopics.CLAIM_REQUESTS, 0, 7L, "PROMO",
                value.getBytes(StandardCharsets.UTF_8));
        RecordHeaders headers = (RecordHeaders) record.headers();
        KafkaHeaders.set(headers, KafkaHeaders.CORRELATION_ID, "corr-1");
        KafkaHeaders.set(headers, KafkaHeaders.REPLY_TO, replyTo);
        KafkaHeaders.set(headers, KafkaHeaders.DEADLINE, deadline);
        if (attempt > 0) {
            KafkaHeaders.set(headers, KafkaHeaders.ATTEMPT, attempt);
        }
        return record;
    }

    /** A handler and a publisher over {@code producer}, as the worker wires them. */
    private final class Worker {
        private final RequestHandler handler;
        private final DispositionPublisher publisher;
        private final CountingObserver observed = new CountingObserver();

        Worker(boolean storeDown, MockProducer<String, byte[]> producer, List<Duration> backoffs) {
            RetryPolicy policy = new RetryPolicy(backoffs, clock);
            this.handler = new RequestHandler(useCases(storeDown), policy, clock);
            this.publisher = new DispositionPublisher(producer, policy, clock, observed);
        }

        CompletableFuture<Void> handleAll(List<ConsumerRecord<String, byte[]>> records) {
            List<CompletableFuture<Void>> sent = handler.handle(envelopes(records))
                    .stream().map(stage -> stage.toCompletableFuture().thenCompose(publisher::publish)).toList();
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
        }
    }

    private static List<RequestEnvelope> envelopes(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().flatMap(record -> RequestEnvelope.allOf(record).stream()).toList();
    }

    private static RequestEnvelope one(ConsumerRecord<String, byte[]> record) {
        List<RequestEnvelope> all = RequestEnvelope.allOf(record);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static final String CLAIM = "{\"v\":1,\"request_id\":\"r1\",\"user_id\":\"u1\",\"coupon_name\":\"PROMO\"}";

    /** A claim of {@code user} from a gateway on {@code replyTo} that reads batched replies, or not. */
    private ConsumerRecord<String, byte[]> claimOf(String user, String replyTo, String correlationId, boolean batching) {
        ConsumerRecord<String, byte[]> record = claimRecord(replyTo, NOW.toEpochMilli() + 5000, 0,
                CLAIM.replace("\"u1\"", "\"" + user + "\"").replace("\"r1\"", "\"r-" + user + "\""));
        KafkaHeaders.set(record.headers(), KafkaHeaders.CORRELATION_ID, correlationId);
        if (batching) {
            KafkaHeaders.set(record.headers(), KafkaHeaders.REPLY_BATCHING, 1);
        }
        return record;
    }

    @Test
    void aPollsClaimReplies_travelOneRecordPerGatewayThatReadsBatches_theRestOneByOne() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker worker = new Worker(false, producer, List.of(Duration.ofMillis(200)));
        List<ConsumerRecord<String, byte[]>> poll = List.of(
                claimOf("a1", "coupon.reply.a", "c-a1", true),
                claimOf("b1", "coupon.reply.b", "c-b1", true),
                claimOf("a2", "coupon.reply.a", "c-a2", true),
                claimOf("old", "coupon.reply.old", "c-old", false),
                claimOf("a3", "coupon.reply.a", "c-a3", true));

        List<Disposition> dispositions = worker.handler.handle(envelopes(poll))
                .stream().map(stage -> stage.toCompletableFuture().join()).toList();
        worker.publisher.publishAll(dispositions).get(5, TimeUnit.SECONDS);

        assertThat(topics(producer)).containsExactlyInAnyOrder("coupon.reply.a", "coupon.reply.b", "coupon.reply.old");
        ProducerRecord<String, byte[]> batch = producer.history().stream()
                .filter(r -> r.topic().equals("coupon.reply.a")).findFirst().orElseThrow();
        assertThat(header(batch, KafkaHeaders.REPLIES)).isEqualTo("3");
        assertThat(header(batch, KafkaHeaders.CORRELATION_ID)).isNull();
        Messages.ReplyBatch replies = Wire.read(batch.value(), Messages.ReplyBatch.class);
        assertThat(replies.replies()).extracting(Messages.BatchedReply::correlationId)
                .containsExactly("c-a1", "c-a2", "c-a3");
        assertThat(replies.replies()).extracting(r -> r.toReply().toClaimOutcome().userId().value())
                .containsExactly("a1", "a2", "a3");
        // a lone reply, and one to a gateway that does not read batches, keep the single shape
        for (String single : List.of("coupon.reply.b", "coupon.reply.old")) {
            ProducerRecord<String, byte[]> record = producer.history().stream()
                    .filter(r -> r.topic().equals(single)).findFirst().orElseThrow();
            assertThat(header(record, KafkaHeaders.CORRELATION_ID)).startsWith("c-");
            assertThat(Wire.read(record.value(), Messages.Reply.class).outcome()).isEqualTo("claimed");
        }
    }

    private static List<String> topics(MockProducer<String, byte[]> producer) {
        return producer.history().stream().map(ProducerRecord::topic).toList();
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return KafkaHeaders.text(record.headers(), name);
    }

    @Test
    void aClaim_isAnsweredOnItsReplyTopic_withItsCorrelationId() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker handler = new Worker(false, producer, List.of(Duration.ofMillis(200)));

        handler.handleAll(List.of(claimRecord("coupon.reply.a", NOW.toEpochMilli() + 5000, 0, CLAIM)))
                .get(5, TimeUnit.SECONDS);

        assertThat(topics(producer)).containsExactly("coupon.reply.a");
        assertThat(header(producer.history().get(0), KafkaHeaders.CORRELATION_ID)).isEqualTo("corr-1");
        assertThat(new String(producer.history().get(0).value(), StandardCharsets.UTF_8)).contains("\"outcome\":\"claimed\"");
    }

    @Test
    void aStoreOutage_sendsTheRequestToTheRetryTopic_withItsAttemptAndNotBefore() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker handler = new Worker(true, producer, List.of(Duration.ofMillis(200), Duration.ofMillis(400)));

        handler.handleAll(List.of(claimRecord("coupon.reply.a", NOW.toEpochMilli() + 5000, 1, CLAIM)))
                .get(5, TimeUnit.SECONDS);

        ProducerRecord<String, byte[]> retry = producer.history().get(0);
        assertThat(topics(producer)).containsExactly(KafkaTopics.CLAIM_RETRY);
        assertThat(header(retry, KafkaHeaders.ATTEMPT)).isEqualTo("2");
        assertThat(header(retry, KafkaHeaders.NOT_BEFORE)).isEqualTo(Long.toString(NOW.toEpochMilli() + 400));
        assertThat(header(retry, KafkaHeaders.ORIGINAL_TOPIC)).isEqualTo(KafkaTopics.CLAIM_REQUESTS);
        assertThat(retry.key()).isEqualTo("PROMO");
    }

    @Test
    void pastTheLastRetry_theRequestIsDeadLettered_andTheCallerToldItFailed() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker handler = new Worker(true, producer, List.of(Duration.ofMillis(200)));

        handler.handleAll(List.of(claimRecord("coupon.reply.a", NOW.toEpochMilli() + 5000, 1, CLAIM)))
                .get(5, TimeUnit.SECONDS);

        assertThat(topics(producer)).containsExactlyInAnyOrder(KafkaTopics.CLAIM_DLQ, "coupon.reply.a");
        ProducerRecord<String, byte[]> dead = producer.history().stream()
                .filter(r -> r.topic().equals(KafkaTopics.CLAIM_DLQ)).findFirst().orElseThrow();
        assertThat(header(dead, KafkaHeaders.ERROR_CLASS)).isEqualTo(TemporarilyUnavailableException.class.getName());
        assertThat(handler.observed.deadLetters).hasValue(1);
    }

    @Test
    void aPoisonRecord_isDeadLetteredAtOnce() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker handler = new Worker(false, producer, List.of(Duration.ofMillis(200)));

        handler.handleAll(List.of(claimRecord("coupon.reply.a", NOW.toEpochMilli() + 5000, 0, "{oops")))
                .get(5, TimeUnit.SECONDS);

        assertThat(topics(producer)).containsExactlyInAnyOrder(KafkaTopics.CLAIM_DLQ, "coupon.reply.a");
        assertThat(handler.observed.retries).hasValue(0);
    }

    @Test
    void aReplyTopicFoundMissing_isSkippedAfterwards_soAGoneGatewayCannotStallThePoll() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
        Worker handler = new Worker(false, producer, List.of(Duration.ofMillis(200)));
        long deadline = NOW.toEpochMilli() + 5000;

        CompletableFuture<Void> first = handler.handleAll(List.of(claimRecord("coupon.reply.gone", deadline, 0, CLAIM)));
        producer.errorNext(new TimeoutException("Topic coupon.reply.gone not present in metadata"));
        first.get(5, TimeUnit.SECONDS);
        handler.handleAll(List.of(claimRecord("coupon.reply.gone", deadline, 0, CLAIM))).get(5, TimeUnit.SECONDS);

        assertThat(producer.history()).hasSize(1);
        assertThat(handler.observed.staleReplies).hasValue(1);
    }

    @Test
    void aCreatesReplyLongPastItsDeadline_isNotSent_butTheEffectStillHappened() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker handler = new Worker(false, producer, List.of(Duration.ofMillis(200)));
        ConsumerRecord<String, byte[]> create = new ConsumerRecord<>(KafkaTopics.CREATE_REQUESTS, 0, 3L, "PROMO",
                "{\"v\":1,\"request_id\":\"r1\",\"name\":\"PROMO\",\"amount\":5}".getBytes(StandardCharsets.UTF_8));
        KafkaHeaders.set(create.headers(), KafkaHeaders.CORRELATION_ID, "corr-1");
        KafkaHeaders.set(create.headers(), KafkaHeaders.REPLY_TO, "coupon.reply.a");
        KafkaHeaders.set(create.headers(), KafkaHeaders.DEADLINE, NOW.toEpochMilli() - 120_000);

        handler.handleAll(List.of(create)).get(5, TimeUnit.SECONDS);

        assertThat(producer.history()).isEmpty();
        assertThat(handler.observed.staleReplies).hasValue(1);
    }

    @Test
    void aUseCaseThatThrowsInsteadOfFailingItsStage_failsTheWholeBatch_soItIsReadAgain() {
        FlashSale throwing = new FlashSale() {
            @Override
            public CompletionStage<CreateOutcome> create(CreateCoupon command) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
                throw new IllegalStateException("store executor shut down");
            }

            @Override
            public CompletionStage<Optional<Coupon>> find(CouponName name) {
                throw new UnsupportedOperationException();
            }
        };
        RequestHandler handler = new RequestHandler(throwing, new RetryPolicy(List.of(Duration.ofMillis(200)), clock),
                clock);

        assertThatThrownBy(() -> handler.handle(List.of(
                one(claimRecord("coupon.reply.a", NOW.toEpochMilli() + 5000, 0, CLAIM)))))
                .hasMessageContaining("shut down");
    }

    @Test
    void aClaimPastItsDeadline_isNotApplied_andNothingIsSent() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        List<ClaimCoupon> applied = new java.util.ArrayList<>();
        FlashSale recording = new FlashSale() {
            @Override
            public CompletionStage<CreateOutcome> create(CreateCoupon command) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
                applied.add(command);
                return CompletableFuture.completedFuture(new ClaimOutcome.Claimed(command.couponName(), command.userId()));
            }

            @Override
            public CompletionStage<Optional<Coupon>> find(CouponName name) {
                throw new UnsupportedOperationException();
            }
        };
        RetryPolicy policy = new RetryPolicy(List.of(Duration.ofMillis(200)), clock);
        RequestHandler handler = new RequestHandler(recording, policy, clock);
        CountingObserver observed = new CountingObserver();
        DispositionPublisher publisher = new DispositionPublisher(producer, policy, clock, observed);

        var dispositions = handler.handle(List.of(
                one(claimRecord("coupon.reply.a", NOW.toEpochMilli() - 1, 0, CLAIM))));
        dispositions.get(0).toCompletableFuture().thenCompose(publisher::publish).get(5, TimeUnit.SECONDS);

        assertThat(dispositions.get(0).toCompletableFuture().get()).isInstanceOf(Disposition.Expired.class);
        assertThat(applied).isEmpty();
        assertThat(producer.history()).isEmpty();
        assertThat(observed.expired).hasValue(1);
    }

    @Test
    void theRetryPolicy_readsBackWhatItWrote() {
        RetryPolicy policy = new RetryPolicy(List.of(Duration.ofMillis(200), Duration.ofMillis(400)), clock);
        RequestEnvelope first = one(claimRecord("coupon.reply.a", NOW.toEpochMilli() + 5000, 0, CLAIM));

        Disposition.Retry retry = (Disposition.Retry) policy.afterOutage(first, new RuntimeException("down"));
        var headers = policy.headersOf(retry);

        assertThat(RetryPolicy.attemptOf(headers)).isEqualTo(1);
        assertThat(RetryPolicy.notBeforeOf(headers)).isEqualTo(NOW.toEpochMilli() + 200);
        RequestEnvelope last = one(claimRecord("coupon.reply.a", NOW.toEpochMilli() + 5000, 2, CLAIM));
        assertThat(policy.afterOutage(last, new RuntimeException("down")))
                .isInstanceOf(Disposition.DeadLetter.class);
    }

    /** A gateway's batch record of claims for PROMO: each claim is {@code user, deadline}. */
    private ConsumerRecord<String, byte[]> batchRecord(String replyTo, String value, int claims) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(KafkaTopics.CLAIM_REQUESTS, 0, 9L, "PROMO",
                value.getBytes(StandardCharsets.UTF_8));
        KafkaHeaders.set(record.headers(), KafkaHeaders.REPLY_TO, replyTo);
        KafkaHeaders.set(record.headers(), KafkaHeaders.REPLY_BATCHING, 1);
        KafkaHeaders.set(record.headers(), KafkaHeaders.CLAIMS, claims);
        return record;
    }

    private ConsumerRecord<String, byte[]> batchOf(String replyTo, List<Messages.BatchedClaim> claims) {
        return batchRecord(replyTo, new String(Wire.write(Messages.ClaimBatch.of("PROMO", claims)),
                StandardCharsets.UTF_8), claims.size());
    }

    private static Messages.BatchedClaim batched(String user, long deadline) {
        return new Messages.BatchedClaim("c-" + user, "r-" + user, user, deadline, 0);
    }

    @Test
    void aBatchRecord_isOneRequestPerClaim_andItsRepliesTravelTogether_inOrder() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker worker = new Worker(false, producer, List.of(Duration.ofMillis(200)));
        long deadline = NOW.toEpochMilli() + 5000;
        List<ConsumerRecord<String, byte[]>> poll = List.of(
                claimOf("single1", "coupon.reply.a", "c-single1", true),
                batchOf("coupon.reply.a", List.of(batched("b1", deadline), batched("b2", deadline), batched("b3", deadline))),
                claimOf("single2", "coupon.reply.a", "c-single2", true));

        List<RequestEnvelope> requests = envelopes(poll);
        List<Disposition> dispositions = worker.handler.handle(requests)
                .stream().map(stage -> stage.toCompletableFuture().join()).toList();
        worker.publisher.publishAll(dispositions).get(5, TimeUnit.SECONDS);

        assertThat(requests).extracting(RequestEnvelope::correlationId)
                .containsExactly("c-single1", "c-b1", "c-b2", "c-b3", "c-single2");
        assertThat(requests.get(2).deadline()).isEqualTo(deadline);
        assertThat(topics(producer)).containsExactly("coupon.reply.a");
        Messages.ReplyBatch replies = Wire.read(producer.history().get(0).value(), Messages.ReplyBatch.class);
        assertThat(replies.replies()).extracting(r -> r.correlationId() + "=" + r.toReply().toClaimOutcome().userId())
                .containsExactly("c-single1=single1", "c-b1=b1", "c-b2=b2", "c-b3=b3", "c-single2=single2");
    }

    @Test
    void aBatchedClaimThatMeetsAnOutage_isRetriedAlone_asASingleClaimWithItsOwnHeaders() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker worker = new Worker(true, producer, List.of(Duration.ofMillis(200)));
        long deadline = NOW.toEpochMilli() + 5000;

        worker.handleAll(List.of(batchOf("coupon.reply.a", List.of(batched("b1", deadline), batched("b2", deadline + 1)))))
                .get(5, TimeUnit.SECONDS);

        assertThat(topics(producer)).containsExactly(KafkaTopics.CLAIM_RETRY, KafkaTopics.CLAIM_RETRY);
        for (int i = 0; i < 2; i++) {
            ProducerRecord<String, byte[]> retry = producer.history().get(i);
            String user = "b" + (i + 1);
            assertThat(header(retry, KafkaHeaders.CLAIMS)).isNull();
            assertThat(header(retry, KafkaHeaders.CORRELATION_ID)).isEqualTo("c-" + user);
            assertThat(header(retry, KafkaHeaders.DEADLINE)).isEqualTo(Long.toString(deadline + i));
            assertThat(header(retry, KafkaHeaders.REPLY_TO)).isEqualTo("coupon.reply.a");
            assertThat(header(retry, KafkaHeaders.ATTEMPT)).isEqualTo("1");
            assertThat(header(retry, KafkaHeaders.ORIGINAL_TOPIC)).isEqualTo(KafkaTopics.CLAIM_REQUESTS);
            Messages.ClaimRequest alone = Wire.read(retry.value(), Messages.ClaimRequest.class);
            assertThat(alone).isEqualTo(new Messages.ClaimRequest(Wire.VERSION, "r-" + user, user, "PROMO"));
        }
        // read back from the retry topic, it is an ordinary single claim on its second attempt
        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        ConsumerRecord<String, byte[]> reread = new ConsumerRecord<>(KafkaTopics.CLAIM_RETRY, 0, 0L, sent.key(), sent.value());
        sent.headers().forEach(h -> reread.headers().add(h));
        RequestEnvelope again = one(reread);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.claim()).isNull();
        assertThat(again.correlationId()).isEqualTo("c-b1");
    }

    @Test
    void inABatch_anInvalidClaimIsDeadLetteredAlone_anExpiredOneTakesNoStock_andTheRestAreAnswered() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker worker = new Worker(false, producer, List.of(Duration.ofMillis(200)));
        long deadline = NOW.toEpochMilli() + 5000;

        worker.handleAll(List.of(batchOf("coupon.reply.a", List.of(batched("ok", deadline),
                batched("late", NOW.toEpochMilli() - 1), new Messages.BatchedClaim("c-bad", "r-bad", "", deadline, 0)))))
                .get(5, TimeUnit.SECONDS);

        ProducerRecord<String, byte[]> dead = producer.history().stream()
                .filter(r -> r.topic().equals(KafkaTopics.CLAIM_DLQ)).findFirst().orElseThrow();
        assertThat(header(dead, KafkaHeaders.CORRELATION_ID)).isEqualTo("c-bad");
        assertThat(header(dead, KafkaHeaders.ERROR_CLASS)).contains("MalformedMessage");
        assertThat(Wire.read(dead.value(), Messages.ClaimRequest.class).requestId()).isEqualTo("r-bad");
        List<String> told = producer.history().stream().filter(r -> r.topic().equals("coupon.reply.a"))
                .map(r -> header(r, KafkaHeaders.CORRELATION_ID) + ":" + Wire.read(r.value(), Messages.Reply.class).outcome())
                .toList();
        assertThat(told).containsExactlyInAnyOrder("c-ok:claimed", "c-bad:failed");
        assertThat(worker.observed.expired).hasValue(1);
        assertThat(worker.observed.deadLetters).hasValue(1);
    }

    @Test
    void aBatchRecordThatCannotBeRead_isDeadLetteredAsItCame() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Worker worker = new Worker(false, producer, List.of(Duration.ofMillis(200)));

        worker.handleAll(List.of(batchRecord("coupon.reply.a", "{\"v\":1,\"claims\":\"oops\"}", 2)))
                .get(5, TimeUnit.SECONDS);

        assertThat(topics(producer)).containsExactly(KafkaTopics.CLAIM_DLQ);
        ProducerRecord<String, byte[]> dead = producer.history().get(0);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"claims\":\"oops\"}");
        assertThat(header(dead, KafkaHeaders.CLAIMS)).isEqualTo("2");
        assertThat(header(dead, KafkaHeaders.ERROR_MESSAGE)).contains("ClaimBatch");
    }
}
