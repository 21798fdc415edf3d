package com.flashsale.coupon.adapter.kafka.gateway;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportTopics;
import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.RequestKind;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
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
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class RequestPublisher {

    /** The gateway's producer: configured under {@code kafka.producers.coupon-gateway}. */
    public static final String PRODUCER = "coupon-gateway";

    private final Producer<String, byte[]> producer;
    private final PendingReplies pending;
    /** The same on every request of this gateway, so made once. */
    private final Header replyToHeader;
    private static final Header REPLY_BATCHING = KafkaHeaders.header(KafkaHeaders.REPLY_BATCHING, "1");
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "coupon-gateway-send");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code topics} is not used here: asking for it makes the request topics exist before the first send. */
    RequestPublisher(@KafkaClient(PRODUCER) Producer<String, byte[]> producer, PendingReplies pending,
                     KafkaSettings settings, TransportTopics topics) {
        this.producer = producer;
        this.pending = pending;
        this.replyToHeader = KafkaHeaders.header(KafkaHeaders.REPLY_TO, settings.replyTopic());
        for (RequestKind kind : RequestKind.values()) {
            producer.partitionsFor(kind.requestTopic()); // metadata now, not on the first request
        }
    }

    /** Publishes a request for {@code waiting}; if Kafka refuses it, the caller is failed at once. */
    void publish(RequestKind kind, String key, byte[] payload, PendingReplies.Waiting waiting) {
        RecordHeaders headers = new RecordHeaders(new Header[] {
            KafkaHeaders.header(KafkaHeaders.CORRELATION_ID, waiting.correlationId()),
            replyToHeader,
            REPLY_BATCHING,
            KafkaHeaders.header(KafkaHeaders.DEADLINE, Long.toString(waiting.deadline()))});
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(kind.requestTopic(), null, key, payload, headers);
        try {
            sender.execute(() -> send(record, waiting.correlationId()));
        } catch (RuntimeException e) {
            pending.fail(waiting.correlationId(), e);
        }
    }

    private void send(ProducerRecord<String, byte[]> record, String correlationId) {
        try {
            producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    pending.fail(correlationId, exception);
                }
            });
        } catch (RuntimeException e) {
            pending.fail(correlationId, e);
        }
    }

    @PreDestroy
    void close() {
        sender.shutdown();
    }
}
