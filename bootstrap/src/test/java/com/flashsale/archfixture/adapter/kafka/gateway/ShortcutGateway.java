package com.flashsale.archfixture.adapter.kafka.gateway;

import com.flashsale.archfixture.adapter.kafka.wire.Envelope;
import com.flashsale.archfixture.adapter.kafka.worker.Worker;

/** Breaks the transport rule: a gateway that calls the worker instead of sending it a message. */
public final class ShortcutGateway {

    private final Worker worker = new Worker();

    public Envelope send(Envelope request) {
        return worker.handle(request);
    }
}
