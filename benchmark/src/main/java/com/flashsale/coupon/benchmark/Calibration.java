package com.flashsale.coupon.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How fast this machine is right now: the CPU time one thread takes for a fixed piece of work,
 * after a warm-up: SHA-256 over 64 MiB (the core alone) and 2 million steps of a random walk over
 * 64 MiB (its caches and memory, which a busy neighbour on a shared host slows the most). Shared and throttled machines change speed from one hour to
 * the next (seen here: the same run's load-tool ceiling moved fivefold), so figures of two runs
 * compare only next to this one.
 */
final class Calibration {

    /** Where the walk ends, kept so that the JIT cannot drop the walk as unused. */
    static volatile int sink;

    private Calibration() {
    }

    /** CPU milliseconds for the fixed work; lower is faster. */
    static double millis() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] block = new byte[1 << 20];
        int[] next = walk(1 << 24);
        work(block, 16); // warm-up, so the JIT has compiled the loops
        sink = steps(next, 1 << 18);
        long start = threads.getCurrentThreadCpuTime();
        work(block, 64);
        sink += steps(next, 2 << 20);
        return (threads.getCurrentThreadCpuTime() - start) / 1e6;
    }

    /** A random cycle through {@code size} slots (Sattolo's shuffle), fixed by its seed. */
    private static int[] walk(int size) {
        int[] next = new int[size];
        for (int i = 0; i < size; i++) {
            next[i] = i;
        }
        java.util.Random random = new java.util.Random(7);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int swap = next[i];
            next[i] = next[j];
            next[j] = swap;
        }
        return next;
    }

    private static int steps(int[] next, int count) {
        int at = 0;
        for (int i = 0; i < count; i++) {
            at = next[at];
        }
        return at;
    }

    private static void work(byte[] block, int mebibytes) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < mebibytes; i++) {
                sha256.update(block);
            }
            block[0] ^= sha256.digest()[0];
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
