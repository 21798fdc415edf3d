package com.flashsale.coupon.bootstrap;

import io.micronaut.runtime.Micronaut;

/** Starts the coupon service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        var refusal = StartupCheck.refusal(System.getenv(), System.getProperties());
        if (refusal.isPresent()) {
            System.err.println(refusal.get());
            System.exit(2);
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
