package io.nostrex.protocol.negentropy;

import io.nostrex.protocol.Canonical;
import java.util.Arrays;

/**
 * The records one side reconciles: (timestamp, 32-byte id) pairs sorted by timestamp (unsigned),
 * then id (bytes, unsigned), as Negentropy v1 orders them. Immutable once built.
 */
public final class NegItems {
    static final int ID_SIZE = 32;
    static final int FINGERPRINT_SIZE = 16;

    private final long[] timestamps;
    /** The ids, 32 bytes each, one after the other. */
    private final byte[] ids;

    /** 40 bytes per record: 100,000 records take 4 MB. */
    private NegItems(long[] timestamps, byte[] ids) {
        this.timestamps = timestamps;
        this.ids = ids;
    }

    /** Collects records in any order, then {@link #build() sorts} them. */
    public static final class Builder {
        private long[] timestamps = new long[16];
        private byte[] ids = new byte[16 * ID_SIZE];
        private int size;

        public Builder add(long timestamp, byte[] id) {
            if (id.length != ID_SIZE) {
                throw new IllegalArgumentException("an id is " + ID_SIZE + " bytes, not " + id.length);
            }
            if (timestamp == Bound.INFINITY) {
                throw new IllegalArgumentException("the largest timestamp is reserved");
            }
            if (size == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, size * 2);
                ids = Arrays.copyOf(ids, size * 2 * ID_SIZE);
            }
            timestamps[size] = timestamp;
            System.arraycopy(id, 0, ids, size++ * ID_SIZE, ID_SIZE);
            return this;
        }

        public int size() {
            return size;
        }

        public NegItems build() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Long.compareUnsigned(timestamps[a], timestamps[b]);
                return c != 0 ? c : Arrays.compareUnsigned(ids, a * ID_SIZE, (a + 1) * ID_SIZE, ids, b * ID_SIZE, (b + 1) * ID_SIZE);
            });
            long[] t = new long[size];
            byte[] d = new byte[size * ID_SIZE];
            for (int i = 0; i < size; i++) {
                t[i] = timestamps[order[i]];
                System.arraycopy(ids, order[i] * ID_SIZE, d, i * ID_SIZE, ID_SIZE);
            }
            return new NegItems(t, d);
        }
    }

    public int size() {
        return timestamps.length;
    }

    long timestamp(int i) {
        return timestamps[i];
    }

    /** A copy of record {@code i}'s id. */
    byte[] id(int i) {
        return Arrays.copyOfRange(ids, i * ID_SIZE, (i + 1) * ID_SIZE);
    }

    /** Appends record {@code i}'s id. */
    void writeId(int i, Wire.Writer out) {
        out.bytes(ids, i * ID_SIZE, ID_SIZE);
    }

    /** Compares record {@code i}'s id with {@code other} (32 bytes), as unsigned bytes. */
    int compareId(int i, byte[] other) {
        return Arrays.compareUnsigned(ids, i * ID_SIZE, (i + 1) * ID_SIZE, other, 0, ID_SIZE);
    }

    /** Bytes at the start that the ids of records {@code a} and {@code b} share. */
    int sharedPrefix(int a, int b) {
        int n = 0;
        while (n < ID_SIZE && ids[a * ID_SIZE + n] == ids[b * ID_SIZE + n]) {
            n++;
        }
        return n;
    }

    /** The first index in [from, to) whose record is not below {@code bound}; {@code to} when none. */
    int lowerBound(int from, int to, Bound bound) {
        byte[] padded = Arrays.copyOf(bound.idPrefix(), ID_SIZE);
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(timestamps[mid], bound.timestamp());
            if (c < 0 || (c == 0 && compareId(mid, padded) < 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The fingerprint of the records in [from, to): their ids added as little-endian 256-bit
     * numbers mod 2^256, then the count as a varint, hashed with SHA-256, first 16 bytes.
     */
    byte[] fingerprint(int from, int to) {
        byte[] sum = new byte[ID_SIZE + 10];
        for (int i = from; i < to; i++) {
            int carry = 0;
            int at = i * ID_SIZE;
            for (int k = 0; k < ID_SIZE; k++) {
                int s = (sum[k] & 0xff) + (ids[at + k] & 0xff) + carry;
                sum[k] = (byte) s;
                carry = s >>> 8;
            }
        }
        byte[] count = Wire.varint(to - from);
        System.arraycopy(count, 0, sum, ID_SIZE, count.length);
        return Arrays.copyOf(Canonical.sha256(Arrays.copyOf(sum, ID_SIZE + count.length)), FINGERPRINT_SIZE);
    }
}
