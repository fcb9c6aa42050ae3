package io.nostrex.protocol.negentropy;

import java.io.ByteArrayOutputStream;

/**
 * Negentropy v1's byte encodings: varints (base 128, most significant digit first, the high bit
 * on every byte but the last) and bounds, whose timestamps are deltas within one message. One
 * instance per message read or written: the delta starts from 0 in each.
 */
final class Wire {
    private Wire() {}

    static byte[] varint(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative varint " + n);
        }
        byte[] digits = new byte[10];
        int i = digits.length;
        do {
            digits[--i] = (byte) (n & 0x7f);
            n >>>= 7;
        } while (n != 0);
        byte[] out = java.util.Arrays.copyOfRange(digits, i, digits.length);
        for (int k = 0; k < out.length - 1; k++) {
            out[k] |= (byte) 0x80;
        }
        return out;
    }

    /**
     * Writes one message. Parts of a message written apart ({@link #part()}) share its timestamp
     * deltas: bounds are encoded against the last one encoded, in the order they are encoded.
     */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final long[] lastTimestamp;

        Writer() {
            this(new long[1]);
        }

        private Writer(long[] lastTimestamp) {
            this.lastTimestamp = lastTimestamp;
        }

        /** A writer for a part of this message, appended later (or dropped). */
        Writer part() {
            return new Writer(lastTimestamp);
        }

        Writer append(Writer part) {
            return bytes(part.toByteArray());
        }

        Writer bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Writer bytes(byte[] b, int offset, int length) {
            out.write(b, offset, length);
            return this;
        }

        Writer varint(long n) {
            return bytes(Wire.varint(n));
        }

        Writer bound(Bound b) {
            if (b.timestamp() == Bound.INFINITY) {
                lastTimestamp[0] = Bound.INFINITY;
                varint(0);
            } else {
                varint(b.timestamp() - lastTimestamp[0] + 1);
                lastTimestamp[0] = b.timestamp();
            }
            return varint(b.idPrefix().length).bytes(b.idPrefix());
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** Reads one message; every read past its end is a {@link NegentropyException}. */
    static final class Reader {
        private final byte[] in;
        private int at;
        private long lastTimestamp;

        Reader(byte[] in) {
            this.in = in;
        }

        boolean atEnd() {
            return at == in.length;
        }

        int u8() throws NegentropyException {
            need(1);
            return in[at++] & 0xff;
        }

        byte[] bytes(int n) throws NegentropyException {
            need(n);
            byte[] b = java.util.Arrays.copyOfRange(in, at, at + n);
            at += n;
            return b;
        }

        long varint() throws NegentropyException {
            long n = 0;
            for (int i = 0; i < 10; i++) {
                int b = u8();
                n = (n << 7) | (b & 0x7f);
                if ((b & 0x80) == 0) {
                    return n;
                }
            }
            throw new NegentropyException("varint longer than 64 bits");
        }

        Bound bound() throws NegentropyException {
            long encoded = varint();
            long timestamp;
            if (encoded == 0 || lastTimestamp == Bound.INFINITY) {
                timestamp = Bound.INFINITY;
            } else {
                timestamp = lastTimestamp + encoded - 1;
                if (timestamp < 0) { // 2^63 and above: no event has such a created_at
                    throw new NegentropyException("bound timestamp out of range");
                }
            }
            lastTimestamp = timestamp;
            long length = varint();
            if (length > NegItems.ID_SIZE) {
                throw new NegentropyException("bound key too long");
            }
            return new Bound(timestamp, bytes((int) length));
        }

        private void need(int n) throws NegentropyException {
            if (n < 0 || in.length - at < n) {
                throw new NegentropyException("message ends in the middle of a range");
            }
        }
    }
}
