package com.flashsale.archfixture.adapter.web;

import com.flashsale.archfixture.adapter.store.SomeStore;
import com.flashsale.archfixture.bootstrap.SomeWiring;

/** Breaks the adapter rules on purpose: it calls another adapter and reads bootstrap. */
public final class ChattyController {
    public String answer(SomeStore store) {
        return SomeWiring.name() + store.count();
    }
}
