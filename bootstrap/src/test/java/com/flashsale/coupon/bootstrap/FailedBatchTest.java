package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.adapter.kafka.wire.KafkaTopics;
import com.flashsale.coupon.adapter.kafka.worker.RequestListener;
import com.flashsale.coupon.bootstrap.ApiClient.Answer;
import com.flashsale.coupon.domain.ClaimCoupon;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
