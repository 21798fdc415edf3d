package com.flashsale.coupon.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;

/** The service's own settings, under {@code coupons.*}; application.yml maps them from the environment. */
@ConfigurationProperties("coupons")
final class CouponsConfiguration {

    private boolean eventDriven = true;
    private int storeThreads = 10;
    private int claimBatchMax = 1000;
    private int claimBatchesInFlight = 1;
    private int maxQueuedClaims = 20_000;
    private int storeQueue = 1_000;

    public boolean isEventDriven() {
        return eventDriven;
    }

    public void setEventDriven(boolean eventDriven) {
        this.eventDriven = eventDriven;
    }

    public int storeThreads() {
        return storeThreads;
    }

    public void setStoreThreads(int storeThreads) {
        if (storeThreads < 1) {
            throw new IllegalArgumentException("coupons.store-threads must be at least 1");
        }
        this.storeThreads = storeThreads;
    }

    public int claimBatchesInFlight() {
        return claimBatchesInFlight;
    }

    public void setClaimBatchesInFlight(int claimBatchesInFlight) {
        if (claimBatchesInFlight < 1) {
            throw new IllegalArgumentException("coupons.claim-batches-in-flight must be at least 1");
        }
        this.claimBatchesInFlight = claimBatchesInFlight;
    }

    /** Claims queued for the store at once; past it a claim is answered 503 overloaded. */
    public int maxQueuedClaims() {
        return maxQueuedClaims;
    }

    public void setMaxQueuedClaims(int maxQueuedClaims) {
        if (maxQueuedClaims < 1) {
            throw new IllegalArgumentException("coupons.max-queued-claims must be at least 1");
        }
        this.maxQueuedClaims = maxQueuedClaims;
    }

    /** Store calls waiting for a store thread; past it a create or read is answered 503 overloaded. */
    public int storeQueue() {
        return storeQueue;
    }

    public void setStoreQueue(int storeQueue) {
        if (storeQueue < 1) {
            throw new IllegalArgumentException("coupons.store-queue must be at least 1");
        }
        this.storeQueue = storeQueue;
    }

    public int claimBatchMax() {
        return claimBatchMax;
    }

    public void setClaimBatchMax(int claimBatchMax) {
        if (claimBatchMax < 1) {
            throw new IllegalArgumentException("coupons.claim-batch-max must be at least 1");
        }
        this.claimBatchMax = claimBatchMax;
    }
}
