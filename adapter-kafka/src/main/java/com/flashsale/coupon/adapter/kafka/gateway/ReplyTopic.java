package com.flashsale.coupon.adapter.kafka.gateway;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.TransportTopics;
import com.flashsale.coupon.adapter.kafka.wire.KafkaHeaders;
import com.flashsale.coupon.adapter.kafka.wire.Messages;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import io.micronaut.configuration.kafka.KafkaConsumerFactory;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's reply topic, for its whole life: created at start, read from its end on a
 * thread of its own, deleted at a graceful stop. Each reply goes to {@link PendingReplies}.
 *
 * <p>It is read by a {@link GrouplessReader}, not by a {@code @KafkaListener}: with {@code assign()}
 * and no consumer group (no rebalance to wait for, no reply lost before the group settles), and
 * positioned at the end before the instance takes its first request.
 */
@Singleton
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class ReplyTopic {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyTopic.class);
    /** Replies only serve the instance that waits for them; a crashed instance's topic empties soon. */
    private static final long RETENTION_MS = 5 * 60_000L;

    private final String name;
    private final TransportTopics topics;
    private final PendingReplies pending;
    private final GrouplessReader reader;

    ReplyTopic(KafkaSettings settings, TransportTopics topics, PendingReplies pending,
               KafkaConsumerFactory consumers, AbstractKafkaConsumerConfiguration<?, ?> defaults) {
        this.name = settings.replyTopic();
        this.topics = topics;
        this.pending = pending;
        topics.create(List.of(new NewTopic(name, 1, settings.replicationFactor()).configs(Map.of(
                "retention.ms", Long.toString(RETENTION_MS),
                "max.message.bytes", Integer.toString(settings.maxMessageBytes())))));
        this.reader = new GrouplessReader(consumers, defaults, "coupon-replies-" + settings.instanceId(), name,
                "the instance reports DOWN", this::deliver);
        reader.startAtEnd("coupon-gateway-replies");
        LOG.info("gateway {} ready: replies on {}", settings.instanceId(), name);
    }

    /** A reply record carries one reply (its correlation id in a header) or a batch of them ({@link Messages.ReplyBatch}). */
    private void deliver(ConsumerRecord<String, byte[]> record) {
        String correlationId = KafkaHeaders.text(record.headers(), KafkaHeaders.CORRELATION_ID);
        if (correlationId != null || KafkaHeaders.text(record.headers(), KafkaHeaders.REPLIES) == null) {
            pending.deliver(correlationId, record.key(), () -> Wire.read(record.value(), Messages.Reply.class));
            return;
        }
        Messages.ReplyBatch batch;
        try {
            batch = Wire.read(record.value(), Messages.ReplyBatch.class);
        } catch (Wire.MalformedMessageException e) {
            LOG.warn("ignoring batch of replies {} on {}: {}; its callers time out", record.offset(), name,
                    e.getMessage());
            return;
        }
        for (Messages.BatchedReply reply : batch.replies()) {
            pending.deliver(reply.correlationId(), reply.couponName(), reply::toReply);
        }
    }

    public String name() {
        return name;
    }

    /** True while the reply topic is read; false means replies would be missed. */
    public boolean isReady() {
        return reader.isReading();
    }

    /** Stops reading and deletes the topic; its retention empties it if the delete fails. */
    @PreDestroy
    void close() {
        reader.close();
        if (topics.delete(name, 3_000)) {
            LOG.info("deleted reply topic {}", name);
        }
    }
}
