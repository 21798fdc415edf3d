package com.flashsale.coupon.adapter.kafka.worker;

import com.flashsale.coupon.adapter.kafka.TransportObserver;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the worker reports, for tests of one class. */
final class CountingObserver implements TransportObserver {

    final AtomicLong retries = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    final AtomicLong staleReplies = new AtomicLong();

    @Override
    public void retried() {
        retries.incrementAndGet();
    }

    @Override
    public void deadLettered() {
        deadLetters.incrementAndGet();
    }

    @Override
    public void expired() {
        expired.incrementAndGet();
    }

    @Override
    public void staleReplies(int count) {
        staleReplies.addAndGet(count);
    }
}
