package com.flashsale.archfixture.adapter.kafka.worker;

import com.flashsale.archfixture.adapter.kafka.wire.Envelope;

/** A worker, as the rule allows it: it reads the wire's shapes. */
public final class Worker {

    public Envelope handle(Envelope request) {
        return new Envelope("done: " + request.body());
    }
}
