package com.flashsale.coupon.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;

/**
 * Starts the local stack with the README's command ({@code bin/run-local}), runs a claim through
 * it, stops it, and checks with the process table that nothing it started is left.
 */
class LocalStackIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private record Stack(Process process, Path data, int port, Path log) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Stack start(String name, boolean eventDriven) throws Exception {
        Path data = Path.of("target", "it-" + name + "-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(data);
        Path log = data.resolve("run-local.log");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/run-local").toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "RUN_LOCAL_SKIP_BUILD", "1",
                "EVENT_DRIVEN_ENABLED", Boolean.toString(eventDriven),
                "LOCAL_DATA_DIR", data.toString(),
                "PORT", Integer.toString(port),
                "LOCAL_POSTGRES_PORT", Integer.toString(freePort()),
                "LOCAL_KAFKA_PORT", Integer.toString(freePort())));
        Process process = builder.start();
        Instant deadline = Instant.now().plusSeconds(150);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(log).contains("local-stack: ready")) {
                return new Stack(process, data, port, log);
            }
            assertThat(process.isAlive()).as("run-local exited early:%n%s", Files.readString(log)).isTrue();
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new AssertionError("run-local was not ready in 150 s:\n" + Files.readString(log));
    }

    /** Processes whose command line names the stack's data directory: PostgreSQL, the broker, the watchdog. */
    private static List<String> leftOver(Stack stack) {
        String marker = stack.data().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(line -> line.contains(marker))
                .toList();
    }

    private static List<String> awaitNothingLeft(Stack stack, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        List<String> left = leftOver(stack);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            left = leftOver(stack);
        }
        return left;
    }

    private static void claimThrough(Stack stack) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://localhost:" + stack.port());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/coupons"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"LOCAL\",\"amount\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> claimed = http.send(HttpRequest.newBuilder(base.resolve("/api/coupons/claim"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"me\",\"coupon_name\":\"LOCAL\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
    }

    @Test
    void eventDriven_servesAClaim_andSigtermLeavesNoProcess() throws Exception {
        Stack stack = start("term", true);
        try {
            // the broker JVM's command line is long; its temp directory names it
            assertThat(leftOver(stack)).anyMatch(line -> line.contains(stack.data().resolve("kafka").toString()))
                    .anyMatch(line -> line.contains("bin/postgres"));
            claimThrough(stack);

            stack.process().destroy();

            assertThat(stack.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(awaitNothingLeft(stack, Duration.ofSeconds(20))).isEmpty();
            assertThat(Files.readString(stack.log())).contains("local-stack: stopped");
        } finally {
            stack.process().destroyForcibly();
        }
    }

    @Test
    void killMinus9OfTheLauncher_leavesNoProcess() throws Exception {
        Stack stack = start("kill", true);
        try {
            claimThrough(stack);

            stack.process().destroyForcibly();

            assertThat(awaitNothingLeft(stack, Duration.ofSeconds(30))).isEmpty();
        } finally {
            stack.process().destroyForcibly();
        }
    }

    @Test
    void syncMode_startsNoKafka() throws Exception {
        Stack stack = start("sync", false);
        try {
            assertThat(leftOver(stack)).noneMatch(line -> line.contains(stack.data().resolve("kafka").toString()))
                    .anyMatch(line -> line.contains("bin/postgres"));
            claimThrough(stack);
            assertThat(Files.readString(stack.log())).contains("synchronous, no Kafka");

            stack.process().destroy();

            assertThat(stack.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(awaitNothingLeft(stack, Duration.ofSeconds(20))).isEmpty();
        } finally {
            stack.process().destroyForcibly();
        }
    }

    @Test
    void aPostgresqlPortHeldByAnotherPostgresql_isRefusedInOneSentence_andNothingStarts() throws Exception {
        try (EmbeddedPostgresServer other = EmbeddedPostgresServer.startForTests()) {
            Path data = Path.of("target", "it-conflict-" + System.nanoTime()).toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/run-local").toString())
                    .directory(ROOT.toFile());
            builder.environment().putAll(Map.of(
                    "RUN_LOCAL_SKIP_BUILD", "1",
                    "LOCAL_DATA_DIR", data.toString(),
                    "PORT", Integer.toString(freePort()),
                    "LOCAL_POSTGRES_PORT", Integer.toString(other.port()),
                    "LOCAL_KAFKA_PORT", Integer.toString(freePort())));
            Instant started = Instant.now();
            Process process = builder.start();

            assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String said = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    + new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(said).isEqualTo(1);
            assertThat(said.strip().lines().count()).as(said).isEqualTo(1);
            assertThat(said).contains("port " + other.port() + " for PostgreSQL is in use by a PostgreSQL with data in")
                    .contains("LOCAL_POSTGRES_PORT=<port>");
            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(Files.exists(data.resolve("postgres"))).as("nothing was started").isFalse();
        }
    }
}
