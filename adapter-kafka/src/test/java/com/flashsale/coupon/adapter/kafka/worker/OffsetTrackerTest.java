package com.flashsale.coupon.adapter.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("coupon.claim.req", 0);
    private static final TopicPartition P1 = new TopicPartition("coupon.claim.req", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    /** A poll with these offsets on each partition, given as partition, offsets, partition, offsets... */
    @SuppressWarnings("unchecked")
    private OffsetTracker.Batch poll(Object... partitionsAndOffsets) {
        Map<TopicPartition, List<Long>> records = new LinkedHashMap<>();
        for (int i = 0; i < partitionsAndOffsets.length; i += 2) {
            records.put((TopicPartition) partitionsAndOffsets[i], (List<Long>) partitionsAndOffsets[i + 1]);
        }
        return tracker.track(records, Long::longValue);
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(TopicPartition partition, long offset) {
        return Map.of(partition, new OffsetAndMetadata(offset));
    }

    @Test
    @DisplayName("a later poll that finishes first is not committed past the earlier one still running")
    void laterPollDoneFirst_commitStaysAtTheEarlierOne() {
        OffsetTracker.Batch first = poll(P0, List.of(10L, 11L, 12L));
        OffsetTracker.Batch second = poll(P0, List.of(13L, 14L));

        second.done();
        assertThat(tracker.committable()).isEqualTo(offsets(P0, 10));
        assertThat(tracker.committable()).as("asked for once, not again while it stays").isEmpty();

        first.done();
        assertThat(tracker.committable()).isEqualTo(offsets(P0, 15));
        assertThat(tracker.isRunning(List.of(P0))).isFalse();
    }

    @Test
    @DisplayName("a poll on two partitions holds both; each moves on by itself once it is done")
    void pollsSpanningPartitions_eachPartitionMovesOnItsOwn() {
        OffsetTracker.Batch both = poll(P0, List.of(0L, 1L), P1, List.of(5L));
        OffsetTracker.Batch onlyP1 = poll(P1, List.of(6L, 7L));

        onlyP1.done();
        assertThat(tracker.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(0)),
                Map.entry(P1, new OffsetAndMetadata(5)));
        assertThat(tracker.isRunning(List.of(P1))).isTrue();

        both.done();
        assertThat(tracker.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(2)),
                Map.entry(P1, new OffsetAndMetadata(8)));
    }

    @Test
    @DisplayName("a failed poll holds the commit at its first offset and is read again from there, with what came after it")
    void failedPoll_holdsTheCommit_andRewindsTheRestOfItsPartition() {
        OffsetTracker.Batch earlier = poll(P0, List.of(0L, 1L));
        OffsetTracker.Batch failed = poll(P0, List.of(2L, 3L), P1, List.of(0L));
        OffsetTracker.Batch later = poll(P0, List.of(4L));
        later.done();
        failed.failed();

        assertThat(tracker.rewind()).containsOnly(Map.entry(P0, 2L), Map.entry(P1, 0L));
        assertThat(tracker.rewind()).as("rewound once").isEmpty();
        earlier.done();
        assertThat(tracker.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(2)),
                Map.entry(P1, new OffsetAndMetadata(0)));

        // read again: the dropped poll that finished counts for nothing, the new reads do
        OffsetTracker.Batch again = poll(P0, List.of(2L, 3L, 4L));
        assertThat(tracker.committable()).isEmpty();
        again.done();
        assertThat(tracker.committable()).isEqualTo(offsets(P0, 5));
    }

    @Test
    @DisplayName("a commit that failed is offered again")
    void failedCommit_isOfferedAgain() {
        poll(P0, List.of(0L)).done();
        assertThat(tracker.committable()).isEqualTo(offsets(P0, 1));
        tracker.commitFailed(List.of(P0));
        assertThat(tracker.committable()).isEqualTo(offsets(P0, 1));
    }

    @Test
    @DisplayName("a partition given up is forgotten: a poll of it that finishes later moves nothing")
    void forgottenPartition_isNotCommitted() {
        OffsetTracker.Batch batch = poll(P0, List.of(0L), P1, List.of(0L));
        tracker.forget(List.of(P0));
        batch.done();
        assertThat(tracker.committable()).isEqualTo(offsets(P1, 1));
        assertThat(tracker.committable(List.of(P0))).isEmpty();
    }
}
