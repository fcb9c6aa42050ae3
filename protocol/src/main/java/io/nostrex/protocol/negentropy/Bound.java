package io.nostrex.protocol.negentropy;

/**
 * The exclusive upper bound of a range: a timestamp and the shortest id prefix that separates the
 * range's first record from the previous one's (missing bytes are zeros).
 * {@link #INFINITY} (the largest unsigned 64-bit value) ends the last range.
 */
record Bound(long timestamp, byte[] idPrefix) {
    static final long INFINITY = -1L;
    static final Bound ZERO = new Bound(0, new byte[0]);
    static final Bound END = new Bound(INFINITY, new byte[0]);

    /** The shortest bound above record {@code i - 1} and not above record {@code i}. */
    static Bound between(NegItems items, int i) {
        long t = items.timestamp(i);
        if (t != items.timestamp(i - 1)) {
            return new Bound(t, new byte[0]);
        }
        int shared = items.sharedPrefix(i - 1, i);
        return new Bound(t, java.util.Arrays.copyOf(items.id(i), Math.min(shared + 1, NegItems.ID_SIZE)));
    }
}
