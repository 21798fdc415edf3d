package com.flashsale.coupon.local;

import com.flashsale.coupon.bootstrap.Application;
import java.io.IOException;
import java.io.InputStream;

/**
 * One service instance of {@code bin/run-local --instances N}, in a JVM of its own so that it can
 * be killed alone. It is the service's own {@link Application}, plus one duty: it exits (with a
 * graceful shutdown) when its launcher's pipe on standard input closes, so that even a
 * {@code kill -9} of the launcher leaves no instance behind.
 */
public final class ServiceInstance {

    private ServiceInstance() {
    }

    public static void main(String[] args) {
        Thread watchdog = new Thread(() -> {
            try (InputStream launcher = System.in) {
                while (launcher.read() >= 0) {
                    // the launcher writes nothing; reading only waits for the end of the pipe
                }
            } catch (IOException e) {
                // a broken pipe means the same: the launcher is gone
            }
            System.exit(0);
        }, "launcher-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Application.main(args);
    }
}
