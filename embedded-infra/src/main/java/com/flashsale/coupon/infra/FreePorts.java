package com.flashsale.coupon.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that are started on ports of our choosing: the embedded broker, and the
 * services, databases and brokers that tests launch.
 *
 * <p>They are picked below the kernel's ephemeral range. A port that {@code new ServerSocket(0)}
 * hands out comes from that range, and between the pick and the server's bind, seconds later,
 * any outgoing connection (a Kafka client's, a JDBC pool's) may take it as its local port: a
 * loaded test run failed so, with "Port *:43418 already in use". No outgoing connection takes a
 * port below the range.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default ephemeral range starts here; other systems' start higher. */
    private static final int DEFAULT_EPHEMERAL_START = 32768;
    /** Below this are the well-known and the commonly configured ports (8080, 5432, 9092 ...). */
    private static final int LOWEST = 10_000;

    private FreePorts() {
    }

    /** A port that nothing listens on now. */
    public static int one() {
        return run(1);
    }

    /** The first of {@code count} consecutive ports that nothing listens on now. */
    public static int run(int count) {
        int highest = ephemeralStart() - count;
        if (highest <= LOWEST) {
            throw new IllegalStateException("no room below the ephemeral ports (from " + ephemeralStart() + ")");
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, highest);
            boolean free = true;
            for (int i = 0; i < count && free; i++) {
                free = isFree(first + i);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports between " + LOWEST + " and "
                + highest + " after 200 tries");
    }

    /** The first port of the kernel's ephemeral range. */
    static int ephemeralStart() {
        try {
            // read as a stream: /proc reports a size of 0, and a read sized by it stops short
            try (var lines = Files.newBufferedReader(EPHEMERAL_RANGE)) {
                return Integer.parseInt(lines.readLine().trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    /** True when a server could bind {@code port} now. */
    static boolean isFree(int port) {
        // as PortCheck judges a port: the wildcard and the loopback address, with SO_REUSEADDR
        for (InetSocketAddress address : new InetSocketAddress[] {new InetSocketAddress(port),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port)}) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(address);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
