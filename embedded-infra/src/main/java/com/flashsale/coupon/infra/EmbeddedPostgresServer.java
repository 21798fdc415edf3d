package com.flashsale.coupon.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 16 server run from the binaries on the classpath, without Docker. It can be
 * stopped and started again on the same port and data directory, which is how tests take the
 * database away from a running service and give it back.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** How durable commits are: tests may trade durability for speed, real runs never do. */
    public enum Durability {
        /** {@code fsync=on, synchronous_commit=on}: a commit survives a power cut. */
        DURABLE,
        /** {@code synchronous_commit=off}: a crash may lose the last commits; for tests only. */
        RELAXED
    }

    private final Path dataDirectory;
    private final Durability durability;
    private final boolean keepData;
    private final Map<String, String> settings;
    private int port;
    private EmbeddedPostgres server;
    private Process watchdog;

    private EmbeddedPostgresServer(Path dataDirectory, int port, Durability durability, boolean keepData,
                                   Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.durability = durability;
        this.keepData = keepData;
    }

    /**
     * Starts a server.
     *
     * @param dataDirectory where the cluster lives; empty for a throw-away directory
     * @param port          the port, or 0 for a free one
     * @param keepData      true to keep the cluster in {@code dataDirectory} between runs
     */
    public static EmbeddedPostgresServer start(Optional<Path> dataDirectory, int port, Durability durability,
                                               boolean keepData) {
        return start(dataDirectory, port, durability, keepData, Map.of());
    }

    /**
     * As {@link #start(Optional, int, Durability, boolean)}, with server settings of the caller's on
     * top (for example {@code shared_preload_libraries}); durability is not among them.
     */
    public static EmbeddedPostgresServer start(Optional<Path> dataDirectory, int port, Durability durability,
                                               boolean keepData, Map<String, String> settings) {
        if (settings.containsKey("fsync") || settings.containsKey("synchronous_commit")) {
            throw new IllegalArgumentException("durability is chosen with Durability, not with settings");
        }
        Path directory;
        try {
            directory = dataDirectory.isPresent() ? dataDirectory.get() : Files.createTempDirectory("embedded-pg");
        } catch (IOException e) {
            throw new UncheckedIOException("no directory for embedded PostgreSQL", e);
        }
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(directory, port, durability, keepData, settings);
        postgres.start();
        return postgres;
    }

    /** A throw-away server on a free port with relaxed durability, for tests. */
    public static EmbeddedPostgresServer startForTests() {
        return start(Optional.empty(), 0, Durability.RELAXED, false);
    }

    /** Starts the server again after {@link #stop()}, on the same port and data. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", durability == Durability.DURABLE ? "on" : "off")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("listen_addresses", "localhost")
                    // the durable server is the production-like one (bin/run-local, benchmarks): with
                    // PostgreSQL's 128 MB default, the unique key of a 5-million-claim table did not
                    // stay in memory, and each batch read its pages from the OS (probe 7.3 ms a batch
                    // instead of 4.8, README Performance); tests keep the default
                    .setServerConfig("shared_buffers", durability == Durability.DURABLE ? "512MB" : "128MB")
                    // the cluster must outlive stop() so that start() finds it again; close() cleans up
                    .setCleanDataDirectory(false)
                    .setDataDirectory(dataDirectory)
                    .setRegisterShutdownHook(true);
            settings.forEach(builder::setServerConfig);
            if (port != 0) {
                builder.setPort(port);
            }
            server = builder.start();
            port = server.getPort();
            watchdog = startWatchdog(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * PostgreSQL runs detached from this JVM, so it would outlive a {@code kill -9} of it. A small
     * shell holds a pipe from this JVM on its standard input; when the pipe closes, however this
     * JVM ended, it stops the server (fast shutdown) if it still runs from this data directory.
     */
    private static Process startWatchdog(Path dataDirectory) throws IOException {
        // signals are ignored (and cat inherits that): only the pipe closing may stop the server,
        // not a Ctrl-C or hang-up that also reaches this JVM, which then stops it in order itself
        String script = "trap '' HUP INT TERM; cat > /dev/null; pidfile=\"$0/postmaster.pid\"; "
                + "[ -f \"$pidfile\" ] && pid=$(head -n 1 \"$pidfile\") && kill -INT \"$pid\" 2>/dev/null; exit 0";
        return new ProcessBuilder("/bin/sh", "-c", script, dataDirectory.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Stops the server; its data stays until {@link #close()}, and after it when asked to keep it. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            EmbeddedPostgres running = server;
            server = null;
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
        } finally {
            if (watchdog != null) {
                // the server is down and its pid file gone, so the watchdog finds nothing to stop
                try {
                    watchdog.getOutputStream().close();
                } catch (IOException ignored) {
                    watchdog.destroy();
                }
                watchdog = null;
            }
        }
    }

    /**
     * Kills the server as a crash would: SIGKILL to the postmaster and every process under it, so
     * nothing is flushed or shut down. {@link #start()} brings it back on the same port and data,
     * through PostgreSQL's crash recovery; what was committed survives ({@link Durability#DURABLE}).
     */
    public synchronized void crash() {
        if (server == null) {
            return;
        }
        java.util.List<ProcessHandle> all = signalAll("KILL");
        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < giveUp) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        abandon(server);
        server = null;
        if (watchdog != null) {
            watchdog.destroy();
            watchdog = null;
        }
    }

    /**
     * Lets go of the library's handle of a killed server: its lock on the data directory (which
     * the next start takes again) and its duty to stop the server at exit. Its own close() would
     * first run pg_ctl stop against the dead server and log that as an error with a stack trace,
     * so the two fields are let go of directly; should the library change, close() does it instead.
     */
    private static void abandon(EmbeddedPostgres killed) {
        try {
            java.lang.reflect.Field closed = EmbeddedPostgres.class.getDeclaredField("closed");
            java.lang.reflect.Field lock = EmbeddedPostgres.class.getDeclaredField("lock");
            java.lang.reflect.Field lockStream = EmbeddedPostgres.class.getDeclaredField("lockStream");
            closed.setAccessible(true);
            lock.setAccessible(true);
            lockStream.setAccessible(true);
            ((java.util.concurrent.atomic.AtomicBoolean) closed.get(killed)).set(true);
            ((java.nio.channels.FileLock) lock.get(killed)).release();
            ((java.io.FileOutputStream) lockStream.get(killed)).close();
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            try {
                killed.close();
            } catch (IOException ignored) {
                // nothing more to let go of
            }
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no running server in " + dataDirectory, e);
        }
    }

    /**
     * Freezes the server as a hung host would: SIGSTOP to the postmaster and every process under
     * it. Connections stay open and nothing answers, not even the server's own timeouts.
     */
    public synchronized void freeze() {
        signalAll("STOP");
    }

    /** Lets a frozen server run again (SIGCONT). */
    public synchronized void thaw() {
        signalAll("CONT");
    }

    /** Sends {@code signal} to the postmaster and every process under it; the processes it was sent to. */
    private java.util.List<ProcessHandle> signalAll(String signal) {
        long postmaster = postmasterPid();
        java.util.List<ProcessHandle> processes = new java.util.ArrayList<>();
        ProcessHandle.of(postmaster).ifPresent(p -> {
            processes.add(p);
            p.descendants().forEach(processes::add);
        });
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kill", "-" + signal));
        command.add(Long.toString(postmaster));
        processes.stream().filter(p -> p.pid() != postmaster).forEach(p -> command.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("could not send SIG" + signal + " to PostgreSQL: "
                        + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return processes;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** Creates an empty database, so that tests sharing this server do not share data. */
    public void createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        EmbeddedPostgres running = Objects.requireNonNull(server, "server is stopped");
        try (Connection connection = running.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    /**
     * Creates a login role and a database it owns, unless they exist: what a service expects to
     * find on a PostgreSQL it is pointed at.
     */
    public void ensureDatabase(String database, String user, String password) {
        if (!DATABASE_NAME.matcher(database).matches() || !DATABASE_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("not plain names: " + database + ", " + user);
        }
        EmbeddedPostgres running = Objects.requireNonNull(server, "server is stopped");
        try (Connection connection = running.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            boolean roleExists;
            try (var rows = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + user + "'")) {
                roleExists = rows.next();
            }
            if (!roleExists) {
                statement.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            }
            boolean databaseExists;
            try (var rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                databaseExists = rows.next();
            }
            if (!databaseExists) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + user);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare database " + database, e);
        }
    }

    /** The value of a server setting, such as {@code synchronous_commit}. */
    public String setting(String name) {
        EmbeddedPostgres running = Objects.requireNonNull(server, "server is stopped");
        try (Connection connection = running.getPostgresDatabase().getConnection();
             var statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read setting " + name, e);
        }
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        stop();
        if (!keepData) {
            Files2.deleteRecursively(dataDirectory);
        }
    }
}
