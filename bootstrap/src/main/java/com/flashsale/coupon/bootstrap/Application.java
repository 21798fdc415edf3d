package com.flashsale.coupon.bootstrap;

import io.micronaut.runtime.Micronaut;

/** Starts the coupon service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
