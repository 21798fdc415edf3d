package com.flashsale.coupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void aPortWhoseServerStoppedWithClientsConnected_isFreeAtOnce_andAServerBindsIt() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0)) {
            port = server.getLocalPort();
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    // the server closes first, as a server that stops does: its end then waits in TIME_WAIT
                    server.accept().close();
                }
            }
        }
        for (int i = 0; i < 50 && timeWaitOn(port) == 0; i++) {
            Thread.sleep(20);
        }
        assertThat(timeWaitOn(port)).as("connections left in TIME_WAIT on port %d", port).isPositive();

        assertThat(PortCheck.problem(port, "PostgreSQL", "LOCAL_POSTGRES_PORT=<port> bin/run-local")).isEmpty();
        try (ServerSocket again = new ServerSocket(port)) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    /** Sockets of {@code port} in TIME_WAIT (state 06 in /proc/net/tcp), so the test shows it tested that case. */
    private static long timeWaitOn(int port) throws Exception {
        String local = String.format(":%04X", port);
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (Files.isReadable(file)) {
                count += Files.readAllLines(file).stream().skip(1).map(String::trim).map(line -> line.split("\\s+"))
                        .filter(f -> f.length > 3 && f[1].endsWith(local) && "06".equals(f[3])).count();
            }
        }
        return count;
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
