package com.flashsale.coupon.adapter.kafka;

/** Told how long each reply took, from publishing the request to reading its reply. */
@FunctionalInterface
public interface ReplyLatencyObserver {

    ReplyLatencyObserver NONE = nanos -> { };

    void replied(long nanos);
}
