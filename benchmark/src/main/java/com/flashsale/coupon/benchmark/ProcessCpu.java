package com.flashsale.coupon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * CPU time of each process of a run, read from {@code /proc/<pid>/stat} (user plus system time),
 * so that a phase can be charged with what each process spent on it: the service, PostgreSQL (the
 * postmaster with every backend and auxiliary process, and the children it has reaped), the
 * broker, and the load tool itself.
 */
final class ProcessCpu {

    /** The kernel's clock ticks per second, which {@code /proc/<pid>/stat} counts in; 100 on Linux. */
    static final long TICKS_PER_SECOND = 100;

    private final Map<String, LongSupplier> roles = new LinkedHashMap<>();
    /** The service's process, whose threads are also counted by kind; 0 when there is none. */
    private long servicePid;

    private ProcessCpu() {
    }

    /**
     * The processes of a service started with {@code bin/run-local}: the launcher's JVM, which runs
     * the service; the broker, a child JVM of it; PostgreSQL, whose postmaster writes its pid in the
     * data directory under {@code data}.
     */
    static ProcessCpu of(ProcessHandle launcher, Path data) {
        ProcessCpu cpu = new ProcessCpu();
        long service = launcher.pid();
        cpu.servicePid = service;
        cpu.roles.put("service", () -> ticks(service, false));
        Optional<Long> postmaster = postmaster(data);
        cpu.roles.put("postgres", () -> postmaster.map(ProcessCpu::postgresTicks).orElse(0L));
        // the broker runs in a session of its own (setsid), so it may not be the launcher's child
        List<Long> brokers = processes().stream()
                .filter(pid -> commandLine(pid).contains("BrokerMain") && commandLine(pid).contains(data.toString()))
                .toList();
        cpu.roles.put("broker", () -> brokers.stream().mapToLong(pid -> ticks(pid, false)).sum());
        cpu.roles.put("load tool", () -> ticks(ProcessHandle.current().pid(), false));
        return cpu;
    }

    /** Only the load tool, for a service this benchmark did not start. */
    static ProcessCpu loadToolOnly() {
        ProcessCpu cpu = new ProcessCpu();
        cpu.roles.put("load tool", () -> ticks(ProcessHandle.current().pid(), false));
        return cpu;
    }

    /** CPU ticks of every role now. */
    Map<String, Long> sample() {
        Map<String, Long> sample = new LinkedHashMap<>();
        roles.forEach((role, ticks) -> sample.put(role, ticks.getAsLong()));
        return sample;
    }

    /**
     * CPU ticks of the service's threads by kind: the thread's name without its number
     * ({@code C2 CompilerThre}, {@code default-nioEventLoopGroup-1-}, {@code pool-}), so that
     * JIT, GC, event loops and store threads can be told apart.
     */
    Map<String, Long> serviceThreads() {
        Map<String, Long> kinds = new LinkedHashMap<>();
        if (servicePid == 0) {
            return kinds;
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(servicePid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9#]+$", "")
                            .replaceAll("-[0-9]+-$", "-");
                    String[] fields = fields(Path.of("/proc", Long.toString(servicePid), "task",
                            task.getFileName().toString(), "stat"));
                    if (fields != null) {
                        kinds.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            // the process ended
        }
        return kinds;
    }

    /** Samples every role every {@code periodMillis} on a daemon thread until the timeline is closed. */
    Timeline record(long periodMillis) {
        Timeline timeline = new Timeline();
        Thread sampler = new Thread(() -> {
            while (!timeline.closed) {
                timeline.add(System.nanoTime(), sample(), serviceThreads());
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
        return timeline;
    }

    /** Samples over time; {@link #at} answers the one taken nearest a moment. */
    static final class Timeline implements AutoCloseable {
        private final List<Long> nanos = new ArrayList<>();
        private final List<Map<String, Long>> samples = new ArrayList<>();
        private final List<Map<String, Long>> threads = new ArrayList<>();
        private volatile boolean closed;

        private synchronized void add(long at, Map<String, Long> sample, Map<String, Long> serviceThreads) {
            nanos.add(at);
            samples.add(sample);
            threads.add(serviceThreads);
        }

        synchronized Map<String, Long> at(long moment) {
            return samples.isEmpty() ? Map.of() : samples.get(nearest(moment));
        }

        /** The service's threads by kind, at the sample nearest {@code moment}. */
        synchronized Map<String, Long> threadsAt(long moment) {
            return threads.isEmpty() ? Map.of() : threads.get(nearest(moment));
        }

        private int nearest(long moment) {
            int best = 0;
            for (int i = 1; i < nanos.size(); i++) {
                if (Math.abs(nanos.get(i) - moment) < Math.abs(nanos.get(best) - moment)) {
                    best = i;
                }
            }
            return best;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Microseconds of CPU per unit of work (a granted claim) for each role between two samples, and their sum. */
    static Map<String, Double> microsPer(Map<String, Long> before, Map<String, Long> after, long units) {
        Map<String, Double> micros = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Long> role : after.entrySet()) {
            double value = (role.getValue() - before.getOrDefault(role.getKey(), 0L)) * 1e6 / TICKS_PER_SECOND
                    / Math.max(1, units);
            micros.put(role.getKey(), value);
            total += value;
        }
        micros.put("total", total);
        return micros;
    }

    private static Optional<Long> postmaster(Path data) {
        try (Stream<Path> files = Files.walk(data, 4)) {
            Optional<Path> pidFile = files.filter(f -> f.getFileName().toString().equals("postmaster.pid")).findFirst();
            if (pidFile.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile.get()).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The postmaster with the children it has reaped, plus every living child (backends, WAL writer, ...). */
    private static long postgresTicks(long postmaster) {
        long sum = ticks(postmaster, true);
        for (long child : children(postmaster)) {
            sum += ticks(child, false);
        }
        return sum;
    }

    private static List<Long> children(long parent) {
        List<Long> children = new ArrayList<>();
        for (long pid : processes()) {
            String[] fields = fields(pid);
            if (fields != null && Long.parseLong(fields[1]) == parent) {
                children.add(pid);
            }
        }
        return children;
    }

    private static List<Long> processes() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** CPU time of one process so far, in microseconds; 0 once it is gone. */
    static long micros(long pid) {
        return ticks(pid, false) * 1_000_000 / TICKS_PER_SECOND;
    }

    /** utime + stime, and with {@code reaped} also cutime + cstime, of one process; 0 once it is gone. */
    private static long ticks(long pid, boolean reaped) {
        String[] fields = fields(pid);
        if (fields == null) {
            return 0;
        }
        // after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return reaped ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
    }

    /** The fields of /proc/pid/stat after the command name, which may itself hold spaces and parentheses. */
    private static String[] fields(long pid) {
        return fields(Path.of("/proc", Long.toString(pid), "stat"));
    }

    private static String[] fields(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
