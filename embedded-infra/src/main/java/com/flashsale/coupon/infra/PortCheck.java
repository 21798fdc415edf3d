package com.flashsale.coupon.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Before a launcher starts anything, each port it needs must be free: a server already on it
 * (another PostgreSQL, say) would otherwise be used as if it were ours. Says in one sentence which
 * port, which variable moves it and, when it can tell from {@code /proc}, what holds it.
 */
public final class PortCheck {

    private PortCheck() {
    }

    /**
     * Why {@code port} cannot be ours, as one sentence that ends with {@code howToMove} (the
     * variable or argument that picks another port); empty when it is free.
     */
    public static Optional<String> problem(int port, String what, String howToMove) {
        // loopback and the wildcard address: a server may hold either one alone
        for (InetSocketAddress address : List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new InetSocketAddress(port))) {
            try (ServerSocket probe = new ServerSocket()) {
                // as the servers bind (the JDK's listeners and PostgreSQL set SO_REUSEADDR): then only a
                // listening socket refuses the bind. Without it, the connections a stopped server left
                // in TIME_WAIT refused a free port for about a minute after every stop.
                probe.setReuseAddress(true);
                probe.bind(address);
            } catch (IOException e) {
                return Optional.of("port " + port + " for " + what + " is in use"
                        + holder(port).map(h -> " by " + h).orElse("")
                        + "; stop it, or choose another port: " + howToMove + ".");
            }
        }
        return Optional.empty();
    }

    /** What listens on {@code port}, from /proc (Linux, same user); empty when it cannot tell. */
    static Optional<String> holder(int port) {
        try {
            String hexPort = String.format(":%04X", port);
            Optional<String> inode = Stream.of("/proc/net/tcp", "/proc/net/tcp6")
                    .map(Path::of).filter(Files::isReadable)
                    .flatMap(PortCheck::lines)
                    .map(String::trim).map(line -> line.split("\\s+"))
                    .filter(f -> f.length > 9 && f[1].endsWith(hexPort) && "0A".equals(f[3])) // 0A: LISTEN
                    .map(f -> f[9]).findFirst();
            if (inode.isEmpty()) {
                return Optional.empty();
            }
            String socket = "socket:[" + inode.get() + "]";
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .filter(p -> holdsSocket(p, socket)).findFirst().map(PortCheck::describe);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().skip(1);
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static boolean holdsSocket(Path process, String socket) {
        try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return socket.equals(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** What process {@code pid} is, in a few words, with its pid. */
    static String describe(long pid) {
        return describe(Path.of("/proc", Long.toString(pid)));
    }

    private static String describe(Path process) {
        String pid = process.getFileName().toString();
        String command;
        try {
            command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ')
                    .replaceAll("\\s+", " ").trim(); // one line, whatever the command line held
        } catch (IOException e) {
            return "process " + pid;
        }
        List<String> words = List.of(command.split(" "));
        int data = words.indexOf("-D");
        if (words.get(0).endsWith("postgres") && data >= 0 && data + 1 < words.size()) {
            return "a PostgreSQL with data in " + words.get(data + 1) + " (pid " + pid + ")";
        }
        if (command.contains("com.flashsale.coupon.local.LocalStack")) {
            return "another bin/run-local (pid " + pid + ")";
        }
        if (command.contains("com.flashsale.coupon.kafkabroker.BrokerMain")) {
            return "a Kafka broker started by this project (pid " + pid + ")";
        }
        return "pid " + pid + " (" + (command.length() > 80 ? command.substring(0, 80) + "…" : command) + ")";
    }
}
