package com.flashsale.coupon.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import com.flashsale.coupon.infra.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * Starts the local stack with the README's command ({@code bin/run-local}), runs a claim through
 * it, stops it, and checks with the process table that nothing it started is left.
 */
class LocalStackIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private record Stack(Process process, Path data, int port, Path log, List<String> command,
                         Map<String, String> environment) {
    }

    private static int freePort() {
        return FreePorts.one();
    }

    /** The first of {@code count} consecutive free ports. */
    private static int freePorts(int count) {
        return FreePorts.run(count);
    }

    private static Stack start(String name, boolean eventDriven, String... args) throws Exception {
        Path data = Path.of("target", "it-" + name + "-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(data);
        Path log = data.resolve("run-local.log");
        int port = args.length == 0 ? freePort() : freePorts(3);
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("bin/run-local").toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = Map.of(
                "RUN_LOCAL_SKIP_BUILD", "1",
                "EVENT_DRIVEN_ENABLED", Boolean.toString(eventDriven),
                "LOCAL_DATA_DIR", data.toString(),
                "PORT", Integer.toString(port),
                "LOCAL_POSTGRES_PORT", Integer.toString(freePort()),
                "LOCAL_KAFKA_PORT", Integer.toString(freePort()),
                // the service's JVMs (the launcher's, or each instance's) with the quick JIT alone, as
                // the test JVMs and the fault suite's instances: C2 would compile for the whole test
                "JAVA_OPTS", "-XX:TieredStopAtLevel=1",
                "INSTANCE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx384m");
        return launch(command, environment, data, port, log);
    }

    /** The same launcher again, on the same ports and data, logging to a file of its own. */
    private static Stack restart(Stack stopped) throws Exception {
        return launch(stopped.command(), stopped.environment(), stopped.data(), stopped.port(),
                stopped.data().resolve("run-local-again.log"));
    }

    private static Stack launch(List<String> command, Map<String, String> environment, Path data, int port, Path log)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        Instant deadline = Instant.now().plusSeconds(150);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(log).contains("local-stack: ready")) {
                return new Stack(process, data, port, log, command, environment);
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
        String coupon = "LOCAL_" + System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/coupons"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + coupon + "\",\"amount\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> claimed = http.send(HttpRequest.newBuilder(base.resolve("/api/coupons/claim"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"me\",\"coupon_name\":\"" + coupon + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
    }

    /**
     * The launcher killed as a crash would kill it: PostgreSQL and the broker see it gone and stop
     * themselves. (A graceful stop, SIGTERM, is the end of the sync-mode and three-instance tests.)
     */
    @Test
    void eventDriven_servesAClaim_andKillMinus9OfTheLauncherLeavesNoProcess() throws Exception {
        Stack stack = start("kill", true);
        try {
            // the broker JVM's command line is long; its temp directory names it
            assertThat(leftOver(stack)).anyMatch(line -> line.contains(stack.data().resolve("kafka").toString()))
                    .anyMatch(line -> line.contains("bin/postgres"));
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

            // a second launcher on the same data, with ports of its own, learns that in one sentence
            Refusal second = runLocalRefusing(Map.of(
                    "EVENT_DRIVEN_ENABLED", "false",
                    "LOCAL_DATA_DIR", stack.data().toString(),
                    "PORT", Integer.toString(freePort()),
                    "LOCAL_POSTGRES_PORT", Integer.toString(freePort())));
            assertThat(second.exit()).as(second.said()).isEqualTo(1);
            assertThat(second.said().strip().lines().count()).as(second.said()).isEqualTo(1);
            assertThat(second.said()).contains("the data directory " + stack.data().resolve("postgres"))
                    .contains("in use by another bin/run-local (pid " + stack.process().pid() + ")")
                    .contains("LOCAL_DATA_DIR=<dir>");
            assertThat(second.took()).isLessThan(Duration.ofSeconds(10));
            claimThrough(stack); // and the first runs on, untouched

            stack.process().destroy();

            assertThat(stack.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(awaitNothingLeft(stack, Duration.ofSeconds(20))).isEmpty();
            assertThat(Files.readString(stack.log())).contains("local-stack: stopped");

            // started again at once, on the same ports and data: the connections the stop closed wait in
            // TIME_WAIT, and do not make a free port look taken
            Stack again = restart(stack);
            try {
                claimThrough(again);
            } finally {
                again.process().destroy();
                assertThat(again.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            stack.process().destroyForcibly();
        }
    }

    @Test
    void threeInstances_shareOneStore_andAKilledOnesCouponsAreServedAgainWithin5s() throws Exception {
        Stack stack = start("instances", true, "--instances", "3");
        List<Long> survivors = List.of();
        try {
            List<ApiCall> instances = List.of(new ApiCall(stack.port()), new ApiCall(stack.port() + 1),
                    new ApiCall(stack.port() + 2));
            assertThat(Files.readString(stack.log())).contains("INSTANCE_ID local-1").contains("INSTANCE_ID local-2")
                    .contains("INSTANCE_ID local-3");
            // six coupons: their keys spread over the six partitions, so each instance's worker owns some
            List<String> coupons = List.of("SPREAD_A", "SPREAD_B", "SPREAD_C", "SPREAD_D", "SPREAD_E", "SPREAD_F");
            for (String coupon : coupons) {
                assertThat(instances.get(0).create(coupon, 10).statusCode()).isEqualTo(201);
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> claimed = instances.get(i).claim("user-" + i, coupon);
                    assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
                }
            }
            for (ApiCall instance : instances) {
                for (String coupon : coupons) {
                    HttpResponse<String> read = instance.get(coupon);
                    assertThat(read.body()).contains("\"remaining_amount\":7")
                            .contains("\"claimed_by\":[\"user-0\",\"user-1\",\"user-2\"]");
                }
            }

            survivors = List.of(instancePid(stack, 1), instancePid(stack, 2));
            long third = instancePid(stack, 3);
            ProcessHandle.of(third).orElseThrow().destroyForcibly();
            Instant killed = Instant.now();
            String death = "local-stack: service instance local-3 (pid " + third + ", port " + (stack.port() + 2)
                    + ") was killed by signal 9 (SIGKILL)";

            // each coupon is claimed at once through the first instance, and again after a 5xx, until
            // one is granted: its partition may have been the dead worker's
            Duration slowest = Duration.ZERO;
            List<String> answers = new java.util.ArrayList<>();
            for (String coupon : coupons) {
                int attempt = 0;
                HttpResponse<String> answer;
                do {
                    answer = instances.get(0).claim("after-kill-" + attempt++, coupon);
                    answers.add(coupon + " " + answer.statusCode());
                } while (answer.statusCode() != 200 && Duration.between(killed, Instant.now()).getSeconds() < 30);
                Duration served = Duration.between(killed, Instant.now());
                slowest = served.compareTo(slowest) > 0 ? served : slowest;
            }
            System.out.println("after kill -9 of instance 3, every coupon was served again within " + slowest.toMillis()
                    + " ms: " + answers);
            assertThat(slowest).as("answers %s", answers).isLessThan(Duration.ofSeconds(5));
            // the launcher said which instance died, its pid and how, in one line
            assertThat(Files.readString(stack.log()).lines().filter(line -> line.contains("service instance local-3")))
                    .hasSize(1).allSatisfy(line -> assertThat(line).startsWith(death));
        } finally {
            stack.process().destroy();
            stack.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            stack.process().destroyForcibly();
        }
        assertThat(awaitNothingLeft(stack, Duration.ofSeconds(30))).isEmpty();
        assertThat(survivors).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** The pid the banner gives for instance {@code i}. */
    private static long instancePid(Stack stack, int i) throws IOException {
        java.util.regex.Matcher pid = java.util.regex.Pattern.compile("INSTANCE_ID local-" + i + ", pid (\\d+)")
                .matcher(Files.readString(stack.log()));
        assertThat(pid.find()).as("the banner names instance %d's pid", i).isTrue();
        return Long.parseLong(pid.group(1));
    }

    /** The API of one instance. */
    private record ApiCall(int port) {
        HttpResponse<String> create(String coupon, int amount) throws Exception {
            return post("/api/coupons", "{\"name\":\"" + coupon + "\",\"amount\":" + amount + "}");
        }

        HttpResponse<String> claim(String user, String coupon) throws Exception {
            return post("/api/coupons/claim", "{\"user_id\":\"" + user + "\",\"coupon_name\":\"" + coupon + "\"}");
        }

        HttpResponse<String> get(String coupon) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/coupons/" + coupon)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private HttpResponse<String> post(String path, String body) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** What a launcher that must refuse to start said, how it ended, and how long it took. */
    private record Refusal(int exit, String said, Duration took) {
    }

    private static Refusal runLocalRefusing(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/run-local").toString()).directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().put("RUN_LOCAL_SKIP_BUILD", "1");
        builder.environment().putAll(environment);
        Instant started = Instant.now();
        Process process = builder.start();
        assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("it ended within 20 s").isTrue();
        String said = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Refusal(process.exitValue(), said, Duration.between(started, Instant.now()));
    }

    @Test
    void aPostgresqlPortHeldByAnotherPostgresql_isRefusedInOneSentence_andNothingStarts() throws Exception {
        try (EmbeddedPostgresServer other = EmbeddedPostgresServer.startForTests()) {
            Path data = Path.of("target", "it-conflict-" + System.nanoTime()).toAbsolutePath();
            Refusal refusal = runLocalRefusing(Map.of(
                    "LOCAL_DATA_DIR", data.toString(),
                    "PORT", Integer.toString(freePort()),
                    "LOCAL_POSTGRES_PORT", Integer.toString(other.port()),
                    "LOCAL_KAFKA_PORT", Integer.toString(freePort())));

            assertThat(refusal.exit()).as(refusal.said()).isEqualTo(1);
            assertThat(refusal.said().strip().lines().count()).as(refusal.said()).isEqualTo(1);
            assertThat(refusal.said()).contains("port " + other.port() + " for PostgreSQL is in use by a PostgreSQL with data in")
                    .contains("LOCAL_POSTGRES_PORT=<port>");
            assertThat(refusal.took()).isLessThan(Duration.ofSeconds(10));
            assertThat(Files.exists(data.resolve("postgres"))).as("nothing was started").isFalse();
        }
    }
}
