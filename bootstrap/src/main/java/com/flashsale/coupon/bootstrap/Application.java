package com.flashsale.coupon.bootstrap;

import io.micronaut.runtime.Micronaut;
import java.util.EnumSet;
import java.util.List;

/** Starts the coupon service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        // the settings first: a bad one would otherwise surface as a stack trace naming a property
        List<String> problems = Settings.of(System.getenv()).problems(EnumSet.of(Setting.Reader.SERVICE));
        if (problems.isEmpty()) {
            problems = StartupCheck.problems(args);
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("coupon-service: " + problem));
            System.exit(1);
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
