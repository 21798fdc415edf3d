package com.flashsale.archfixture.adapter.store;

/** A store adapter for the fixture; it breaks nothing itself. */
public final class SomeStore {
    public int count() {
        return 0;
    }
}
