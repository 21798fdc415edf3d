package com.flashsale.coupon.adapter.kafka.worker;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition the worker may commit, while several polls are in flight at once
 * and finish in any order. Each poll is a {@link Batch}; on each of its partitions it covers a run
 * of offsets. A partition may be committed up to the first offset of its oldest batch that is not
 * done: never past a request that was not disposed of.
 *
 * <p>A batch that failed holds the commit at its first offset, and {@link #rewind()} says where to
 * seek so that it is read again, with everything after it on that partition; the batches dropped
 * by that, finished or not, count for nothing. Their requests are read and disposed of once more,
 * which request ids make harmless.
 *
 * <p>Only the poll thread calls the methods of this class; a batch is finished or failed from any
 * thread, through its volatile state.
 */
final class OffsetTracker {

    /** One poll's records, finished when all its requests were disposed of and their dispositions kept. */
    static final class Batch {
        private enum State { RUNNING, DONE, FAILED }

        private volatile State state = State.RUNNING;

        void done() {
            state = State.DONE;
        }

        void failed() {
            state = State.FAILED;
        }

        boolean isRunning() {
            return state == State.RUNNING;
        }
    }

    /** A batch's run of offsets on one partition, from {@code first} to {@code last}. */
    private record Run(Batch batch, long first, long last) {
    }

    private static final class Partition {
        final ArrayDeque<Run> runs = new ArrayDeque<>();
        /** Everything below it was disposed of; -1 until the first run is known. */
        long floor = -1;
        /** The offset last committed, or -1: a commit is asked for only when the offset moved. */
        long committed = -1;

        long commitOffset() {
            return runs.isEmpty() ? floor : runs.peekFirst().first();
        }
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /**
     * Starts tracking one poll: for each partition, the first and last offsets of its records in it.
     * A partition's runs must come in the order they were read.
     */
    <R> Batch track(Map<TopicPartition, ? extends Collection<R>> records, ToLongFunction<R> offset) {
        Batch batch = new Batch();
        records.forEach((topicPartition, partitionRecords) -> {
            if (partitionRecords.isEmpty()) {
                return;
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (R record : partitionRecords) {
                first = Math.min(first, offset.applyAsLong(record));
                last = Math.max(last, offset.applyAsLong(record));
            }
            Partition partition = partitions.computeIfAbsent(topicPartition, tp -> new Partition());
            if (partition.floor < 0) {
                partition.floor = first;
            }
            partition.runs.addLast(new Run(batch, first, last));
        });
        return batch;
    }

    /**
     * The offsets to commit now: for each partition whose done prefix grew since it was last
     * committed, the first offset not yet disposed of. They count as committed from here;
     * {@link #commitFailed} takes that back.
     */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    /** As {@link #committable()}, for some partitions only. */
    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> some) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (TopicPartition topicPartition : some) {
            Partition partition = partitions.get(topicPartition);
            if (partition == null) {
                continue;
            }
            while (!partition.runs.isEmpty() && partition.runs.peekFirst().batch().state == Batch.State.DONE) {
                partition.floor = partition.runs.removeFirst().last() + 1;
            }
            long offset = partition.commitOffset();
            if (offset > partition.committed) {
                offsets.put(topicPartition, new OffsetAndMetadata(offset));
                partition.committed = offset;
            }
        }
        return offsets;
    }

    /** A commit of these offsets did not go through: they are offered again by the next {@link #committable()}. */
    void commitFailed(Collection<TopicPartition> failed) {
        for (TopicPartition topicPartition : failed) {
            Partition partition = partitions.get(topicPartition);
            if (partition != null) {
                partition.committed = -1;
            }
        }
    }

    /**
     * Where to seek, for each partition that has a failed batch: its first offset there. That
     * batch and every later one of the partition are dropped, so the commit stays below it until
     * the records are read and disposed of again.
     */
    Map<TopicPartition, Long> rewind() {
        Map<TopicPartition, Long> seeks = new LinkedHashMap<>();
        partitions.forEach((topicPartition, partition) -> {
            Iterator<Run> runs = partition.runs.iterator();
            Long failedAt = null;
            while (runs.hasNext()) {
                Run run = runs.next();
                if (failedAt == null && run.batch().state == Batch.State.FAILED) {
                    failedAt = run.first();
                }
                if (failedAt != null) {
                    runs.remove();
                }
            }
            if (failedAt != null) {
                // the floor is at most failedAt already: the failed run was never done, so never passed
                seeks.put(topicPartition, failedAt);
            }
        });
        return seeks;
    }

    /** True while a batch on one of these partitions is still running. */
    boolean isRunning(Collection<TopicPartition> some) {
        for (TopicPartition topicPartition : some) {
            Partition partition = partitions.get(topicPartition);
            if (partition != null && partition.runs.stream().anyMatch(run -> run.batch().isRunning())) {
                return true;
            }
        }
        return false;
    }

    /** Stops tracking these partitions: this worker no longer owns them. */
    void forget(Collection<TopicPartition> gone) {
        gone.forEach(partitions::remove);
    }
}
