package com.flashsale.coupon.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command in bin/ explains itself: --help prints its usage; a wrong option is one sentence and exit 2.
 * After the package phase: a script checks its options with the built classes, and it must never
 * start a build (./mvnw) from inside ./mvnw verify.
 */
class BinScriptsIT {

    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String script, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = BIN.resolve(script).toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("RUN_LOCAL_SKIP_BUILD", "1");
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(script + " answered").isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-local", "local-postgres", "local-kafka", "flash-sale-benchmark", "claim-round-trip", "fault-test"})
    void help_printsTheUsage_andExits0(String script) throws Exception {
        Run help = run(script, "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: bin/" + script);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-local", "local-postgres", "local-kafka", "flash-sale-benchmark", "claim-round-trip", "fault-test"})
    void anUnknownOption_isOneSentenceAndTheUsage_withExit2(String script) throws Exception {
        Run wrong = run(script, "--no-such-option");

        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err().lines().findFirst().orElse("")).startsWith(script + ": ").contains("--no-such-option");
        assertThat(wrong.err()).contains("Usage: bin/" + script);
    }
}
