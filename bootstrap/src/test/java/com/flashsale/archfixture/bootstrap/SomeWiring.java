package com.flashsale.archfixture.bootstrap;

/** Wiring for the fixture; adapters must not see it. */
public final class SomeWiring {
    // a method, not a constant: javac inlines constants, which would leave no dependency to find
    public static String name() {
        return "wiring";
    }
}
