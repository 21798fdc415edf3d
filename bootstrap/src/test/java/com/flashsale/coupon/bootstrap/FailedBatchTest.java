package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.worker.RequestListener;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.domain.ClaimCoupon;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A batch the worker could not finish is read again, not skipped: micronaut-kafka commits past a
 * listener that throws, so the listener rewinds instead. The worker's use cases throw on their
 * first batch of claims ({@link FailFirstClaimBatch}).
 */
@MicronautTest(transactional = false)
class FailedBatchTest extends EventDrivenServiceTest {

    @Inject
    FailFirstClaimBatch fault;

    @Override
    protected Map<String, Object> extraProperties() {
        return Map.of("test.fail-first-claim-batch", true);
    }

    @Test
    void aBatchThatFails_isReadAgain_andNotCommittedPast() throws Exception {
        try (ApiClient api = new ApiClient(server.getURI());
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
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

            // committed once it was served: the group's offsets reach the end of every claim partition.
            // The worker commits every KafkaSettings.COMMIT_INTERVAL_MS (200 ms), so the commit comes a
            // moment after the answer: wait for it, well past that interval
            // every partition of the topic, so that one not committed yet is checked too (as offset 0)
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(KafkaTopics.CLAIM_REQUESTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(KafkaTopics.CLAIM_REQUESTS).partitions()
                    .forEach(p -> latest.put(new TopicPartition(KafkaTopics.CLAIM_REQUESTS, p.partition()),
                            OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            assertThat(ends).isNotEmpty();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Map<TopicPartition, Long> committed = committed(admin);
            while (!ends.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) == e.getValue().offset())
                    && System.nanoTime() < giveUp) {
                Thread.sleep(50);
                committed.putAll(committed(admin));
            }
            ends.forEach((partition, end) -> assertThat(committed.getOrDefault(partition, 0L))
                    .as(partition.toString()).isEqualTo(end.offset()));
        }
    }
    /** The worker group's committed offsets, by partition. */
    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(RequestListener.GROUP).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS).forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }
}
