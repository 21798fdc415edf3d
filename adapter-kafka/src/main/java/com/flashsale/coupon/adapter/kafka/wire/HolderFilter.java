package com.flashsale.coupon.adapter.kafka.wire;

import com.flashsale.coupon.domain.UserId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * A Bloom filter of the users who hold a sold-out coupon: {@link #mightHold} is never false for a
 * holder, and true for about 0.1% of everyone else. A gateway answers {@code sold_out} itself to a
 * user the filter does not hold, and sends anyone it might hold through Kafka, to the worker,
 * which knows the request ids. 100,000 holders take 180 KB at 0.1% (120 KB at 1%; but at 1% a
 * sold-out wave still sent a hundred claims a second through Kafka, each its own poll, commit and
 * reply, and the broker spent more CPU on them than the gateway on the whole wave).
 *
 * <p>The bit layout and the hash are part of the sold-out message: every instance must set and
 * test the same bits. Each user id's UTF-8 bytes are hashed with 64-bit FNV-1a, then mixed twice
 * by MurmurHash3's finalizer into two hashes {@code h1}, {@code h2}; the i-th bit is
 * {@code (h1 + i * h2) mod bits} (Kirsch and Mitzenmacher's double hashing).
 */
public final class HolderFilter {

    /** The share of non-holders a filter lets through, and so sends through Kafka. */
    public static final double FALSE_POSITIVE_RATE = 0.001;

    private final long[] words;
    private final long bits;
    private final int hashes;

    private HolderFilter(long[] words, int hashes) {
        if (words.length == 0 || hashes < 1 || hashes > 30) {
             throw new IllegalArgumentException("a filter needs bits and 1 to 30 hashes, got " + words.length
                    + " words and " + hashes + " hashes");
        }
        this.words = words;
        this.bits = (long) words.length * Long.SIZE;
        this.hashes = hashes;
    }

    /** The filter of these holders, sized for {@link #FALSE_POSITIVE_RATE}. */
    public static HolderFilter of(Collection<UserId> holders) {
        int n = Math.max(1, holders.size());
        double ln2 = Math.log(2);
        long bits = (long) Math.ceil(-n * Math.log(FALSE_POSITIVE_RATE) / (ln2 * ln2));
        int hashes = (int) Math.max(1, Math.round((double) bits / n * ln2));
        HolderFilter filter = new HolderFilter(new long[(int) ((bits + Long.SIZE - 1) / Long.SIZE)], hashes);
        for (UserId holder : holders) {
            filter.add(holder);
        }
        return filter;
    }

    /** A filter as a sold-out message carries it. */
    public static HolderFilter fromWords(long[] words, int hashes) {
        return new HolderFilter(words.clone(), hashes);
    }

    public long[] words() {
        return words.clone();
    }

    public int hashes() {
        return hashes;
    }

    /** False only for a user who certainly does not hold the coupon. */
    public boolean mightHold(UserId user) {
        long h1 = firstHash(user);
        long h2 = secondHash(h1);
        for (int i = 0; i < hashes; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    private void add(UserId user) {
        long h1 = firstHash(user);
        long h2 = secondHash(h1);
        for (int i = 0; i < hashes; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    private static long firstHash(UserId user) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : user.value().getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(hash);
    }

    /** Odd, so that the probe sequence never repeats one bit before it has to. */
    private static long secondHash(long first) {
        return mix(first ^ 0x9e3779b97f4a7c15L) | 1;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** The memory the filter takes, for the bound on what a gateway keeps. */
    public long sizeInBytes() {
        return (long) words.length * Long.BYTES;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HolderFilter that && hashes == that.hashes && Arrays.equals(words, that.words);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(words) + hashes;
    }
}
