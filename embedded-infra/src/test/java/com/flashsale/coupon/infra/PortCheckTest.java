package com.flashsale.coupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void aPortHeldBySomethingElse_isNamedInOneLine_evenWhenItsCommandLineHoldsNewlines() throws Exception {
        try (ServerSocket held = new ServerSocket(0)) {
            assertThat(PortCheck.problem(held.getLocalPort(), "the service", "PORT=<port> bin/run-local"))
                    .hasValueSatisfying(said -> assertThat(said).contains("port " + held.getLocalPort())
                            .contains("PORT=<port> bin/run-local").doesNotContain("\n"));
        }

        Process sleeper = new ProcessBuilder("sh", "-c", "sleep 30 # a first line\nand a second").start();
        try {
            String described = PortCheck.describe(sleeper.pid());
            assertThat(described).doesNotContain("\n").startsWith("pid " + sleeper.pid());
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFreePort_isNoProblem() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        assertThat(PortCheck.problem(port, "the service", "PORT=<port> bin/run-local")).isEmpty();
    }
}
