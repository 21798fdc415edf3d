package com.flashsale.coupon.bootstrap;

import io.micronaut.runtime.Micronaut;
import java.util.List;

/** Starts the coupon service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        List<String> problems = StartupCheck.problems(args);
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("coupon-service: " + problem));
            System.exit(1);
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
