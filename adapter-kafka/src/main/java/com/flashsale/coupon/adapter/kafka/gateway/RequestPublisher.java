package com.flashsale.coupon.adapter.kafka.gateway;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportObserver;
import com.flashsale.coupon.adapter.kafka.TransportTopics;
import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.Messages.BatchedClaim;
import com.flashsale.coupon.adapter.kafka.wire.Messages.ClaimBatch;
import com.flashsale.coupon.adapter.kafka.wire.Messages.ClaimRequest;
import com.flashsale.coupon.adapter.kafka.wire.RequestKind;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes the gateway's requests, keyed by coupon name, with the correlation id, reply topic and
 * deadline headers. Sends run on a thread of their own, never on the caller's, which may be a
 * Netty event loop: a send can block on metadata or a full buffer.
 *
 * <p>Claims travel in batches: each coupon has a lane with at most one record on its way to
 * Kafka. A claim that finds its lane idle is sent at once, alone, in the single-claim shape; the
 * claims that come while that record is outstanding are held, and go together in one record
 * ({@link ClaimBatch}) as soon as Kafka has acknowledged it. So a lone claim waits for no timer,
 * and a hot coupon's claims cost the broker, the worker and this gateway one record per round trip
 * instead of one each. With {@link KafkaSettings#batchClaims()} off, every claim is a record of its
 * own, for workers of a version that cannot read batches.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class RequestPublisher {

    /** The gateway's producer: configured under {@code kafka.producers.coupon-gateway}. */
    public static final String PRODUCER = "coupon-gateway";
    /** The most claims one record carries; a lane holding more sends the rest in its next record. */
    static final int MAX_CLAIMS_PER_RECORD = 500;

    private final Producer<String, byte[]> producer;
    private final PendingReplies pending;
    private final TransportObserver observer;
    private final boolean batchClaims;
    /** The same on every request of this gateway, so made once. */
    private final Header replyToHeader;
    private static final Header REPLY_BATCHING = KafkaHeaders.header(KafkaHeaders.REPLY_BATCHING, "1");
    private final ConcurrentHashMap<String, ClaimLane> lanes = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "coupon-gateway-send");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code topics} is not used here: asking for it makes the request topics exist before the first send. */
    RequestPublisher(@KafkaClient(PRODUCER) Producer<String, byte[]> producer, PendingReplies pending,
                     KafkaSettings settings, TransportTopics topics, @Nullable TransportObserver observer) {
        this.producer = producer;
        this.pending = pending;
        this.observer = observer == null ? TransportObserver.NONE : observer;
        this.batchClaims = settings.batchClaims();
        this.replyToHeader = KafkaHeaders.header(KafkaHeaders.REPLY_TO, settings.replyTopic());
        for (RequestKind kind : RequestKind.values()) {
            producer.partitionsFor(kind.requestTopic()); // metadata now, not on the first request
        }
    }

    /** Publishes a request for {@code waiting}; if Kafka refuses it, the caller is failed at once. */
    void publish(RequestKind kind, String key, byte[] payload, PendingReplies.Waiting waiting) {
        ProducerRecord<String, byte[]> record = single(kind, key, payload, waiting);
        try {
            sender.execute(() -> send(record, List.of(waiting)));
        } catch (RuntimeException e) {
            pending.fail(waiting.correlationId(), e);
        }
    }

    /** Publishes a claim, alone or with the others its coupon's lane holds; a refusal fails the callers at once. */
    void publishClaim(String coupon, ClaimRequest claim, PendingReplies.Waiting waiting) {
        if (!batchClaims) {
            publish(RequestKind.CLAIM, coupon, Wire.write(claim), waiting);
            return;
        }
        if (sender.isShutdown()) {
            pending.fail(waiting.correlationId(), stopping());
            return;
        }
        HeldClaim held = new HeldClaim(claim, waiting);
        ClaimLane lane;
        Admission admission;
        do { // a lane that went idle and left the map just now turns the claim away: take the next one
            lane = lanes.computeIfAbsent(coupon, ClaimLane::new);
            admission = lane.admit(held);
        } while (admission == Admission.RETIRED);
        if (admission == Admission.START) {
            sendNextOf(lane);
        }
    }

    /** Has the sender thread send the lane's next record, or let the lane go idle if it holds none. */
    private void sendNextOf(ClaimLane lane) {
        try {
            sender.execute(() -> {
                List<HeldClaim> claims = lane.next(MAX_CLAIMS_PER_RECORD);
                if (!claims.isEmpty()) {
                    sendClaims(lane, claims);
                }
            });
        } catch (RuntimeException refused) {
            failAll(lane.retire(), refused);
        }
    }

    private void sendClaims(ClaimLane lane, List<HeldClaim> claims) {
        List<PendingReplies.Waiting> callers = claims.stream().map(HeldClaim::waiting).toList();
        ProducerRecord<String, byte[]> record;
        try {
            record = claims.size() == 1
                    ? single(RequestKind.CLAIM, lane.coupon, Wire.write(claims.get(0).claim()), claims.get(0).waiting())
                    : batch(lane.coupon, claims);
        } catch (RuntimeException e) {
            failAll(callers, e);
            sendNextOf(lane);
            return;
        }
        observer.claimRecordSent(claims.size());
        send(record, callers, () -> sendNextOf(lane));
    }

    private void send(ProducerRecord<String, byte[]> record, List<PendingReplies.Waiting> callers) {
        send(record, callers, null);
    }

    /** Sends {@code record} for its callers; {@code then}, if any, runs once Kafka has answered, either way. */
    private void send(ProducerRecord<String, byte[]> record, List<PendingReplies.Waiting> callers,
                      @Nullable Runnable then) {
        try {
            producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    failAll(callers, exception);
                }
                if (then != null) {
                    then.run();
                }
            });
        } catch (RuntimeException e) {
            failAll(callers, e);
            if (then != null) {
                then.run();
            }
        }
    }

    private ProducerRecord<String, byte[]> single(RequestKind kind, String key, byte[] payload,
                                                  PendingReplies.Waiting waiting) {
        RecordHeaders headers = new RecordHeaders(new Header[] {
            KafkaHeaders.header(KafkaHeaders.CORRELATION_ID, waiting.correlationId()),
            replyToHeader,
            REPLY_BATCHING,
            KafkaHeaders.header(KafkaHeaders.DEADLINE, Long.toString(waiting.deadline()))});
        return new ProducerRecord<>(kind.requestTopic(), null, key, payload, headers);
    }

    private ProducerRecord<String, byte[]> batch(String coupon, List<HeldClaim> claims) {
        List<BatchedClaim> batched = new ArrayList<>(claims.size());
        for (HeldClaim claim : claims) {
            batched.add(BatchedClaim.of(claim.waiting().correlationId(), claim.waiting().deadline(), claim.claim()));
        }
        RecordHeaders headers = new RecordHeaders(new Header[] {
            replyToHeader,
            REPLY_BATCHING,
            KafkaHeaders.header(KafkaHeaders.CLAIMS, Integer.toString(claims.size()))});
        return new ProducerRecord<>(RequestKind.CLAIM.requestTopic(), null, coupon,
                Wire.write(ClaimBatch.of(coupon, batched)), headers);
    }

    private void failAll(List<PendingReplies.Waiting> callers, Throwable cause) {
        for (PendingReplies.Waiting caller : callers) {
            pending.fail(caller.correlationId(), cause);
        }
    }

    private static IllegalStateException stopping() {
        return new IllegalStateException("the instance is stopping: the claim was never published and took no stock");
    }

    /**
     * Stops sending. Claims still held in a lane never reached Kafka, so they took no stock: their
     * callers are told so now, instead of waiting for a reply that cannot come.
     */
    @PreDestroy
    void close() {
        sender.shutdown();
        for (ClaimLane lane : List.copyOf(lanes.values())) {
            failAll(lane.retire(), stopping());
        }
    }

    /** A claim and its caller, held in a lane until its record is sent. */
    private record HeldClaim(ClaimRequest claim, PendingReplies.Waiting waiting) {
    }

    private enum Admission {
        /** The lane was idle: the caller must start its send. */
        START,
        /** A record of the lane is on its way: the claim goes in the next one. */
        HELD,
        /** The lane has gone idle and left the map: admit the claim to a new one. */
        RETIRED
    }

    /** One coupon's claims on their way to Kafka: at most one record outstanding, and those held for the next. */
    private final class ClaimLane {

        private final String coupon;
        private final ArrayDeque<HeldClaim> held = new ArrayDeque<>();
        private boolean sending;
        private boolean retired;

        ClaimLane(String coupon) {
            this.coupon = coupon;
        }

        synchronized Admission admit(HeldClaim claim) {
            if (retired) {
                return Admission.RETIRED;
            }
            held.add(claim);
            if (sending) {
                return Admission.HELD;
            }
            sending = true;
            return Admission.START;
        }

        /** Up to {@code max} held claims for the next record; none, and the lane retires, when it holds none. */
        synchronized List<HeldClaim> next(int max) {
            if (held.isEmpty()) {
                retire();
                return List.of();
            }
            List<HeldClaim> claims = new ArrayList<>(Math.min(max, held.size()));
            while (claims.size() < max && !held.isEmpty()) {
                claims.add(held.poll());
            }
            return claims;
        }

        /** Takes the lane out of use and hands back the callers of what it held. */
        synchronized List<PendingReplies.Waiting> retire() {
            retired = true;
            lanes.remove(coupon, this);
            List<PendingReplies.Waiting> left = held.stream().map(HeldClaim::waiting).toList();
            held.clear();
            return left;
        }
    }
}
