package com.flashsale.coupon.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.infra.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scripts and the service refuse what they cannot use in one sentence, before they build or
 * start anything; they build only when the sources changed, one build at a time; and a port is
 * free again at once after its server stopped. Runs the scripts themselves, after the package
 * phase (never {@code ./mvnw} from inside {@code ./mvnw verify}: the build test uses a checkout of
 * its own whose {@code mvnw} only records that it ran).
 */
class ScriptChecksIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** How a command ended, what it said on both streams, and how long it took. */
    private record Run(int exit, String said, Duration took) {
        List<String> lines() {
            return said.strip().lines().toList();
        }
    }

    private static Run run(Path directory, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("RUN_LOCAL_SKIP_BUILD", "1");
        // a null value unsets the variable
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Instant started = Instant.now();
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ended within 60 s", List.of(command)).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                Duration.between(started, Instant.now()));
    }

    private static int freePort() {
        return FreePorts.one();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "REQUEST_TIMEOUT, xyz, a positive duration such as 5s or 1500ms",
        "REQUEST_TIMEOUT, -5s, a positive duration such as 5s or 1500ms",
        "EVENT_DRIVEN_ENABLED, maybe, true or false",
        "EVENT_DRIVEN_ENABLED, ture, true or false",
        "EVENT_DRIVEN_ENABLED, yes, true or false",
        "PORT, abc, a port from 1 to 65535",
        "DB_POOL_SIZE, abc, a whole number of at least 1",
        "LOCAL_POSTGRES_PORT, 70000, a port from 1 to 65535",
    })
    void runLocal_refusesAValueThatIsNotAllowed_inOneSentence_beforeAnythingStarts(String name, String value,
                                                                                     String allowed) throws Exception {
        Path data = Path.of("target", "it-refused-" + System.nanoTime()).toAbsolutePath();
        Run refused = run(ROOT, Map.of(name, value, "LOCAL_DATA_DIR", data.toString(), "ADMIN_TOKEN", "never-shown-token",
                "DB_PASSWORD", "never-shown-password"), ROOT.resolve("bin/run-local").toString());

        assertThat(refused.exit()).as(refused.said()).isEqualTo(1);
        assertThat(refused.lines()).as("one sentence, and nothing else")
                .containsExactly("local-stack: " + name + " is '" + value + "'; it must be " + allowed + ".");
        assertThat(refused.said()).doesNotContain("Exception").doesNotContain("never-shown");
        assertThat(refused.took()).isLessThan(Duration.ofSeconds(10));
        assertThat(Files.exists(data)).as("nothing was started").isFalse();
    }

    @Test
    void runLocal_refusesSettingsThatCannotWorkTogether() throws Exception {
        Run heartbeat = run(ROOT, Map.of("KAFKA_HEARTBEAT_INTERVAL_MS", "5000", "KAFKA_SESSION_TIMEOUT_MS", "3000"),
                ROOT.resolve("bin/run-local").toString());
        Run deadline = run(ROOT, Map.of("REQUEST_TIMEOUT", "2s"), ROOT.resolve("bin/run-local").toString());

        assertThat(heartbeat.exit()).as(heartbeat.said()).isEqualTo(1);
        assertThat(heartbeat.lines().get(0)).startsWith("local-stack: KAFKA_HEARTBEAT_INTERVAL_MS (5000) must be below"
                + " KAFKA_SESSION_TIMEOUT_MS (3000)");
        assertThat(deadline.exit()).as(deadline.said()).isEqualTo(1);
        assertThat(deadline.lines().get(0)).startsWith("local-stack: REQUEST_TIMEOUT is '2s'; in event-driven mode it"
                + " must be longer than the retry chain, 2750 ms");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "PORT, abc, a port from 1 to 65535",
        "DB_POOL_SIZE, abc, a whole number of at least 1",
        "DB_SOCKET_TIMEOUT, abc, a whole number of at least 1",
        "REQUEST_TIMEOUT, -5s, a positive duration such as 5s or 1500ms",
        "EVENT_DRIVEN_ENABLED, maybe, true or false",
    })
    void theServiceItself_refusesAValueThatIsNotAllowed_inOneSentence(String name, String value, String allowed)
            throws Exception {
        // what java -jar runs: the service's own main, on the same classes
        String classpath = ROOT.resolve("local-stack/target/classes") + ":"
                + Files.readString(ROOT.resolve("local-stack/target/runtime-classpath.txt")).strip();
        Run refused = run(ROOT, Map.of(name, value, "ADMIN_TOKEN", "never-shown-token"), javaCommand(), "-cp", classpath,
                "com.flashsale.coupon.bootstrap.Application");

        assertThat(refused.exit()).as(refused.said()).isNotZero();
        assertThat(refused.lines()).as(refused.said())
                .containsExactly("coupon-service: " + name + " is '" + value + "'; it must be " + allowed + ".");
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--mode, foo, '--mode must be sync or event-driven, got ''foo'''",
        "--stock, abc, '--stock must be a whole number from 1 to 100000, got ''abc'''",
        "--concurrency, -3, '--concurrency must be a whole number from 1 to 20000, got ''-3'''",
        "--wrk, maybe, '--wrk must be true or false, got ''maybe'''",
    })
    void theBenchmark_refusesAnOptionItCannotUse_beforeItBuildsOrStarts(String option, String value, String sentence)
            throws Exception {
        Run refused = run(ROOT, Map.of(), ROOT.resolve("bin/flash-sale-benchmark").toString(), option, value);

        assertThat(refused.exit()).as(refused.said()).isEqualTo(2);
        assertThat(refused.lines().get(0)).isEqualTo("flash-sale-benchmark: " + sentence);
        assertThat(refused.said()).contains("Usage: bin/flash-sale-benchmark").doesNotContain("Exception");
        assertThat(refused.took()).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * A checkout of the scripts alone, whose {@code mvnw} records each build in {@code builds.log}
     * (and sleeps a little, so that two launchers overlap), and one source file.
     */
    private static Path fakeCheckout() throws IOException {
        Path checkout = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fake-checkout-");
        Path bin = Files.createDirectories(checkout.resolve("bin/lib"));
        for (String script : List.of("run-local", "lib/cli.sh")) {
            Files.copy(ROOT.resolve("bin").resolve(script), bin.getParent().resolve(script));
        }
        Files.writeString(checkout.resolve("mvnw"), "#!/usr/bin/env bash\n"
                + "echo \"$*\" >> builds.log; sleep 2\n"
                + "mkdir -p local-stack/target benchmark/target\n"
                + "touch local-stack/target/runtime-classpath.txt benchmark/target/runtime-classpath.txt\n");
        Files.setPosixFilePermissions(checkout.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(checkout.resolve("some-module/src/main/java"));
        Files.writeString(checkout.resolve("some-module/src/main/java/Some.java"), "class Some {}\n");
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        return checkout;
    }

    private static long builds(Path checkout) throws IOException {
        Path log = checkout.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Test
    void runLocal_buildsOnlyWhenTheSourcesChanged_byContentNotByFileTime_andOneBuildAtATime() throws Exception {
        Path checkout = fakeCheckout();
        String runLocal = checkout.resolve("bin/run-local").toString();
        Map<String, String> build = new java.util.HashMap<>();
        build.put("RUN_LOCAL_SKIP_BUILD", null);

        run(checkout, build, runLocal);
        assertThat(builds(checkout)).as("the first start builds").isEqualTo(1);

        run(checkout, build, runLocal);
        Path source = checkout.resolve("some-module/src/main/java/Some.java");
        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(60)));
        run(checkout, build, runLocal);
        assertThat(builds(checkout)).as("unchanged sources, even with a new file time, build nothing").isEqualTo(1);

        Files.writeString(source, "class Some { int changed; }\n");
        List<Process> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder launcher = new ProcessBuilder(runLocal).directory(checkout.toFile()).redirectErrorStream(true)
                    .redirectOutput(checkout.resolve("launcher-" + i + ".log").toFile());
            launcher.environment().remove("RUN_LOCAL_SKIP_BUILD");
            two.add(launcher.start());
        }
        for (Process launcher : two) {
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String said = Files.readString(checkout.resolve("launcher-0.log")) + Files.readString(checkout.resolve("launcher-1.log"));
        assertThat(builds(checkout)).as("two launchers after a change build once: %s", said).isEqualTo(2);
        assertThat(said).contains("another script is building this checkout; waiting for it");
    }

    @Test
    void localPostgres_stoppedWithClientsConnected_startsAgainAtOnceOnTheSamePort() throws Exception {
        int port = freePort();
        Path data = Path.of("target", "it-restart-" + System.nanoTime()).toAbsolutePath();
        for (int round = 0; round < 2; round++) {
            Path log = data.resolveSibling(data.getFileName() + "-" + round + ".log");
            Process postgres = new ProcessBuilder(ROOT.resolve("bin/local-postgres").toString(), Integer.toString(port),
                    data.toString()).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Instant deadline = Instant.now().plusSeconds(60);
            while (!Files.readString(log).contains("Ctrl-C stops it") && Instant.now().isBefore(deadline)) {
                assertThat(postgres.isAlive()).as("round %d: %s", round, Files.readString(log)).isTrue();
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).as("round %d started on port %d", round, port).contains("Ctrl-C stops it");
            List<Connection> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/coupons", "coupons",
                        "coupons"));
            }
            postgres.destroy(); // SIGTERM, as Ctrl-C: the server closes its clients' connections first
            assertThat(postgres.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (Connection client : clients) {
                client.close();
            }
        }
    }
}
