package com.flashsale.coupon.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service instance in a JVM of its own ({@link ServiceInstance}), with its environment and log,
 * so that it can be killed alone and started again under the same {@code INSTANCE_ID}. It stops
 * by itself when this process dies (it watches a pipe from it).
 */
final class ServiceProcess {

    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private final Path log;
    private final int port;
    private volatile Process process;

    private ServiceProcess(Map<String, String> environment, List<String> jvmOptions, Path log) {
        this.environment = Map.copyOf(environment);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = log;
        this.port = Integer.parseInt(environment.get("PORT"));
    }

    /** Starts an instance with {@code environment} (PORT among it), appending its output to {@code log}. */
    static ServiceProcess start(Map<String, String> environment, Path log) {
        return start(environment, List.of(), log);
    }

    /** As {@link #start(Map, Path)}, with options for its JVM. */
    static ServiceProcess start(Map<String, String> environment, List<String> jvmOptions, Path log) {
        ServiceProcess instance = new ServiceProcess(environment, jvmOptions, log);
        instance.launch();
        return instance;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServiceInstance.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a service instance on port " + port, e);
        }
    }

    /** Kills the instance as a crash would ({@code kill -9}): no graceful shutdown, its group session left to expire. */
    void crash() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts it again after {@link #crash()}, with the same environment and so the same {@code INSTANCE_ID}. */
    void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("instance on port " + port + " still runs");
        }
        launch();
    }

    /** SIGTERM: the instance shuts down gracefully; {@link #awaitStopped} waits for it. */
    void terminate() {
        process.destroy();
    }

    /** Waits up to {@code seconds} for the instance to exit, then kills it. */
    void awaitStopped(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Calls {@code ended} with one sentence when this run of the instance ends: which instance, its
     * pid and how it ended (its exit code, or the signal that killed it).
     */
    void onEnd(java.util.function.Consumer<String> ended) {
        Process run = process;
        run.onExit().thenAccept(done -> ended.accept("service instance " + instanceId() + " (pid " + done.pid()
                + ", port " + port + ") " + howItEnded(done.exitValue()) + "; its log is " + log));
    }

    /** A JVM killed by a signal exits with 128 plus the signal's number. */
    static String howItEnded(int exitValue) {
        if (exitValue > 128 && exitValue < 160) {
            int signal = exitValue - 128;
            String name = switch (signal) {
                case 9 -> " (SIGKILL)";
                case 15 -> " (SIGTERM)";
                case 6 -> " (SIGABRT)";
                case 11 -> " (SIGSEGV)";
                default -> "";
            };
            return "was killed by signal " + signal + name;
        }
        return "exited with code " + exitValue;
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    URI uri() {
        return URI.create("http://localhost:" + port);
    }

    Path log() {
        return log;
    }

    String instanceId() {
        return environment.get("INSTANCE_ID");
    }
}
