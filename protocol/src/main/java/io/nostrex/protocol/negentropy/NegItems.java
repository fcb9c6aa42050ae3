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
    private final byte[][] ids;

    /** About 64 bytes per record (the timestamp, the id and its array header): 100,000 records take about 6 MB. */
    private NegItems(long[] timestamps, byte[][] ids) {
        this.timestamps = timestamps;
        this.ids = ids;
    }

    /** Collects records in any order, then {@link #build() sorts} them. */
    public static final class Builder {
        private long[] timestamps = new long[16];
        private byte[][] ids = new byte[16][];
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
                ids = Arrays.copyOf(ids, size * 2);
            }
            timestamps[size] = timestamp;
            ids[size++] = id;
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
            Arrays.sort(order, (a, b) -> compare(timestamps[a], ids[a], timestamps[b], ids[b]));
            long[] t = new long[size];
            byte[][] d = new byte[size][];
            for (int i = 0; i < size; i++) {
                t[i] = timestamps[order[i]];
                d[i] = ids[order[i]];
            }
            return new NegItems(t, d);
        }
    }

    static int compare(long t1, byte[] id1, long t2, byte[] id2) {
        int c = Long.compareUnsigned(t1, t2);
        return c != 0 ? c : Arrays.compareUnsigned(id1, id2);
    }

    public int size() {
        return timestamps.length;
    }

    long timestamp(int i) {
        return timestamps[i];
    }

    byte[] id(int i) {
        return ids[i];
    }

    /** The first index in [from, to) whose record is not below {@code bound}; {@code to} when none. */
    int lowerBound(int from, int to, Bound bound) {
        byte[] padded = Arrays.copyOf(bound.idPrefix(), ID_SIZE);
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(timestamps[mid], ids[mid], bound.timestamp(), padded) < 0) {
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
            byte[] id = ids[i];
            for (int k = 0; k < ID_SIZE; k++) {
                int s = (sum[k] & 0xff) + (id[k] & 0xff) + carry;
                sum[k] = (byte) s;
                carry = s >>> 8;
            }
        }
        byte[] count = Wire.varint(to - from);
        System.arraycopy(count, 0, sum, ID_SIZE, count.length);
        return Arrays.copyOf(Canonical.sha256(Arrays.copyOf(sum, ID_SIZE + count.length)), FINGERPRINT_SIZE);
    }
}
