package com.flashsale.coupon.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in a child JVM, started from the classpath that the
 * {@code kafka-broker} module writes. The child holds a pipe to this process on its standard input
 * and exits when that pipe closes, so it never outlives this JVM, however this JVM ends.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** Names the directory of the kafka-broker module, when it cannot be found from the working directory. */
    public static final String BROKER_MODULE_PROPERTY = "coupons.kafka-broker.dir";
    private static final String CLASSPATH_FILE = "target/broker-classpath.txt";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** How the broker's JVM is tuned: for the short life of a test, or for a stack that serves for hours. */
    public enum Jvm {
        /** Quick to start and light beside the tests: the client compiler only, a small heap, the serial collector. */
        SHORT_LIVED(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
        /**
         * As a broker runs in production, with both JIT compilers: under a flash sale's load, code
         * that only the client compiler compiled spends more CPU on every request.
         */
        LONG_RUNNING(List.of("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC"));

        private final List<String> options;

        Jvm(List<String> options) {
            this.options = options;
        }
    }

    private volatile Process process;
    private final String bootstrapServers;
    private final Path dataDirectory;
    private final boolean keepData;
    /** How the broker was started: {@link #restart()} starts it again the same way, on the same ports. */
    private final List<String> command;

    private KafkaBrokerProcess(Process process, String bootstrapServers, Path dataDirectory, boolean keepData,
                               List<String> command) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.dataDirectory = dataDirectory;
        this.keepData = keepData;
        this.command = List.copyOf(command);
    }

    /** Kills the broker as a crash would ({@code kill -9}): nothing is flushed or shut down. */
    public void crash() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the broker again after {@link #crash()}, on its ports and data, and waits until it takes connections. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the broker still runs");
        }
        try {
            process = launch(command, dataDirectory);
            awaitReady(process, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker again", e);
        }
    }

    /** The broker's process id, for tools that kill it from outside. */
    public long pid() {
        return process.pid();
    }

    private static Process launch(List<String> command, Path directory) throws IOException {
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile()))
                .start();
    }

    /** A throw-away broker on free ports, for tests. */
    public static KafkaBrokerProcess startForTests() {
        return start(Optional.empty(), 0, Map.of(), false);
    }

    /** As {@link #start(Optional, int, Map, boolean, Jvm)}, in a {@link Jvm#SHORT_LIVED} JVM. */
    public static KafkaBrokerProcess start(Optional<Path> dataDirectory, int port, Map<String, String> overrides,
                                           boolean keepData) {
        return start(dataDirectory, port, overrides, keepData, Jvm.SHORT_LIVED);
    }

    /**
     * Starts a broker and waits until it accepts connections.
     *
     * @param dataDirectory where the broker keeps its logs; empty for a throw-away directory
     * @param port          the client port, or 0 for a free one
     * @param overrides     broker settings over the defaults of {@code BrokerMain}
     * @param keepData      true to keep the data directory when the broker stops
     * @param jvm           how its JVM is tuned
     */
    public static KafkaBrokerProcess start(Optional<Path> dataDirectory, int port, Map<String, String> overrides,
                                           boolean keepData, Jvm jvm) {
        try {
            Path directory = dataDirectory.isPresent() ? dataDirectory.get() : Files.createTempDirectory("kafka");
            Files.createDirectories(directory);
            Path module = brokerModule();
            String classpath = Files.readString(module.resolve(CLASSPATH_FILE)).trim()
                    + java.io.File.pathSeparator + module.resolve("target/classes");
            int clientPort = port == 0 ? freePort() : port;
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                // its own session: a Ctrl-C in the terminal reaches only us, and we stop the broker
                // after the service that uses it; our death still reaches it through the pipe
                command.add(SETSID.toString());
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvm.options);
            command.addAll(List.of(
                    "-Djava.io.tmpdir=" + directory,
                    "-cp", classpath,
                    "com.flashsale.coupon.kafkabroker.BrokerMain",
                    Integer.toString(clientPort), Integer.toString(freePort()), directory.toString()));
            overrides.forEach((key, value) -> command.add(key + "=" + value));
            Process process = launch(command, directory);
            String servers = awaitReady(process, directory);
            return new KafkaBrokerProcess(process, servers, directory, keepData, command);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker", e);
        }
    }

    private static String awaitReady(Process process, Path directory) {
        CountDownLatch ready = new CountDownLatch(1);
        String[] servers = new String[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        servers[0] = line.substring("READY ".length()).trim();
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the broker exited; waitFor below tells
            }
        }, "kafka-broker-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!ready.await(200, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited (" + process.exitValue()
                            + ") before it was ready; see " + directory.resolve("broker.log"));
                }
                if (System.nanoTime() > giveUp) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the Kafka broker was not ready within 90 s; see "
                            + directory.resolve("broker.log"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while the Kafka broker started", e);
        }
        return servers[0];
    }

    /** The kafka-broker module's directory: from the system property, or found above the working directory. */
    static Path brokerModule() {
        String configured = System.getProperty(BROKER_MODULE_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("kafka-broker");
            if (Files.exists(candidate.resolve(CLASSPATH_FILE))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find kafka-broker/" + CLASSPATH_FILE + " above "
                + Path.of("").toAbsolutePath() + "; build it with ./mvnw -pl kafka-broker package, or set -D"
                + BROKER_MODULE_PROPERTY);
    }

    private static int freePort() {
        return FreePorts.one();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker by closing its pipe, as a dying parent would; forces it after 30 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (!keepData) {
            Files2.deleteRecursively(dataDirectory);
        }
    }
}
