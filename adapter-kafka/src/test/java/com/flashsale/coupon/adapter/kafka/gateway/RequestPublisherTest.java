package com.flashsale.coupon.adapter.kafka.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportObserver;
import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.wire.Messages;
import com.flashsale.coupon.adapter.kafka.wire.RequestKind;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the gateway batches claims on the way in: one record per coupon outstanding, the claims that
 * come meanwhile in the next one. Kafka's MockProducer stands in for the broker, and completes a
 * send only when the test says so.
 */
class RequestPublisherTest {

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
    private final List<Integer> recordSizes = new ArrayList<>();
    private PendingReplies pending;
    private RequestPublisher publisher;
    private final AtomicInteger claims = new AtomicInteger();

    private void start(boolean batchClaims) {
        KafkaSettings settings = new KafkaSettings("test-gateway", Duration.ofSeconds(30), 1, (short) 1, List.of(),
                KafkaSettings.DEFAULT_MAX_MESSAGE_BYTES, 10_000, 0, batchClaims);
        TransportObserver observer = new TransportObserver() {
            @Override
            public synchronized void claimRecordSent(int claims) {
                recordSizes.add(claims);
            }
        };
        pending = new PendingReplies(settings, observer);
        publisher = new RequestPublisher(producer, pending, settings, null, observer);
    }

    @AfterEach
    void stop() {
        publisher.close();
        pending.close();
    }

    /** Publishes a claim for {@code coupon} and returns its caller's stage and correlation id. */
    private Caller claim(String coupon) {
        String user = "user_" + claims.incrementAndGet();
        PendingReplies.Waiting waiting = pending.register(() -> "claim by " + user);
        publisher.publishClaim(coupon, new Messages.ClaimRequest(Wire.VERSION, "r-" + user, user, coupon), waiting);
        return new Caller(waiting.correlationId(), user, waiting.reply());
    }

    private record Caller(String correlationId, String user, CompletableFuture<Messages.Reply> reply) {
    }

    /** Every task handed to the sender so far has run: a read, sent through the same thread, has gone out. */
    private void senderCaughtUp() {
        PendingReplies.Waiting waiting = pending.register(() -> "read");
        publisher.publish(RequestKind.GET, "ANY", Wire.write(new Messages.GetRequest(Wire.VERSION, "ANY")), waiting);
        await(() -> producer.history().stream().anyMatch(r -> r.topic().equals(KafkaTopics.GET_REQUESTS)
                && waiting.correlationId().equals(header(r, KafkaHeaders.CORRELATION_ID))));
    }

    private List<ProducerRecord<String, byte[]>> claimRecords() {
        return producer.history().stream().filter(r -> r.topic().equals(KafkaTopics.CLAIM_REQUESTS)).toList();
    }

    private static void await(BooleanSupplier condition) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("not within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return KafkaHeaders.text(record.headers(), name);
    }

    /** Completes the oldest send that Kafka has not answered yet, once the producer has it. */
    private void acknowledgeNext() {
        await(() -> producer.completeNext());
    }

    @Test
    void aLoneClaimGoesAtOnce_inTheSingleShape_andTheClaimsThatComeMeanwhile_goTogetherAfterItsAck() {
        start(true);
        Caller first = claim("PROMO");
        await(() -> claimRecords().size() == 1);
        ProducerRecord<String, byte[]> alone = claimRecords().get(0);
        assertThat(header(alone, KafkaHeaders.CORRELATION_ID)).isEqualTo(first.correlationId());
        assertThat(header(alone, KafkaHeaders.CLAIMS)).isNull();
        assertThat(Wire.read(alone.value(), Messages.ClaimRequest.class).userId()).isEqualTo(first.user());

        List<Caller> held = List.of(claim("PROMO"), claim("PROMO"), claim("PROMO"));
        Caller otherCoupon = claim("OTHER");
        senderCaughtUp();
        // another coupon has a lane of its own; PROMO's claims wait for its first record's ack
        assertThat(claimRecords()).extracting(ProducerRecord::key).containsExactly("PROMO", "OTHER");
        assertThat(header(claimRecords().get(1), KafkaHeaders.CORRELATION_ID)).isEqualTo(otherCoupon.correlationId());

        acknowledgeNext();
        await(() -> claimRecords().size() == 3);
        ProducerRecord<String, byte[]> batch = claimRecords().get(2);
        assertThat(batch.key()).isEqualTo("PROMO");
        assertThat(header(batch, KafkaHeaders.CLAIMS)).isEqualTo("3");
        assertThat(header(batch, KafkaHeaders.CORRELATION_ID)).isNull();
        assertThat(header(batch, KafkaHeaders.REPLY_TO)).isEqualTo(KafkaTopics.replyTopic("test-gateway"));
        assertThat(header(batch, KafkaHeaders.REPLY_BATCHING)).isEqualTo("1");
        Messages.ClaimBatch body = Wire.read(batch.value(), Messages.ClaimBatch.class);
        assertThat(body.couponName()).isEqualTo("PROMO");
        assertThat(body.claims()).extracting(Messages.BatchedClaim::correlationId)
                .containsExactlyElementsOf(held.stream().map(Caller::correlationId).toList());
        assertThat(body.claims()).extracting(Messages.BatchedClaim::userId)
                .containsExactlyElementsOf(held.stream().map(Caller::user).toList());
        assertThat(body.claims()).allSatisfy(claim -> assertThat(claim.deadline()).isGreaterThan(System.currentTimeMillis()));
        assertThat(recordSizes).containsExactly(1, 1, 3);
    }

    @Test
    void aRecordKafkaRefuses_failsEveryCallerItCarries_andTheLaneGoesOn() {
        start(true);
        claim("PROMO");
        await(() -> claimRecords().size() == 1);
        List<Caller> held = List.of(claim("PROMO"), claim("PROMO"));
        acknowledgeNext();
        await(() -> claimRecords().size() == 2);

        await(() -> producer.errorNext(new NetworkException("broker gone")));

        for (Caller caller : held) {
            assertThat(caller.reply()).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining("could not publish").withMessageContaining("broker gone");
        }
        Caller later = claim("PROMO");
        await(() -> claimRecords().size() == 3);
        assertThat(header(claimRecords().get(2), KafkaHeaders.CORRELATION_ID)).isEqualTo(later.correlationId());
    }

    @Test
    void aLaneHoldingMoreThanARecordCarries_sendsTheRestInItsNextRecord() {
        start(true);
        claim("PROMO");
        await(() -> claimRecords().size() == 1);
        for (int i = 0; i < RequestPublisher.MAX_CLAIMS_PER_RECORD + 1; i++) {
            claim("PROMO");
        }
        acknowledgeNext();
        await(() -> claimRecords().size() == 2);
        senderCaughtUp();
        assertThat(claimRecords()).hasSize(2);
        acknowledgeNext();
        await(() -> claimRecords().size() == 3);

        assertThat(header(claimRecords().get(1), KafkaHeaders.CLAIMS))
                .isEqualTo(Integer.toString(RequestPublisher.MAX_CLAIMS_PER_RECORD));
        assertThat(header(claimRecords().get(2), KafkaHeaders.CLAIMS)).isNull();
        assertThat(recordSizes).containsExactly(1, RequestPublisher.MAX_CLAIMS_PER_RECORD, 1);
    }

    @Test
    void aGatewayThatStopsWhileItHoldsClaims_answersEveryCaller_andPublishesNoneOfThoseItHeld() {
        start(true);
        Caller outstanding = claim("PROMO");
        await(() -> claimRecords().size() == 1);
        List<Caller> held = List.of(claim("PROMO"), claim("PROMO"));

        publisher.close();
        pending.close();
        Caller afterStop = claim("PROMO");

        assertThat(outstanding.reply()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(OutcomeUnknownException.class);
        for (Caller caller : List.of(held.get(0), held.get(1), afterStop)) {
            assertThat(caller.reply()).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining("never published").withMessageContaining("took no stock");
        }
        // the record on its way is answered now; nothing held goes out after the stop
        producer.completeNext();
        assertThat(claimRecords()).hasSize(1);
    }

    @Test
    void withBatchingOff_everyClaimIsARecordOfItsOwn_sentAtOnce() {
        start(false);
        List<Caller> callers = List.of(claim("PROMO"), claim("PROMO"), claim("PROMO"));

        await(() -> claimRecords().size() == 3);

        assertThat(claimRecords()).extracting(r -> header(r, KafkaHeaders.CORRELATION_ID))
                .containsExactlyElementsOf(callers.stream().map(Caller::correlationId).toList());
        assertThat(claimRecords()).allSatisfy(r -> assertThat(header(r, KafkaHeaders.CLAIMS)).isNull());
        assertThat(callers.get(0).reply()).isNotDone();
        assertThat(recordSizes).isEmpty();
    }
}
