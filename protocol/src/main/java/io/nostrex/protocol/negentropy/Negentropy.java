package io.nostrex.protocol.negentropy;

import io.nostrex.protocol.Hex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Range-based set reconciliation, Negentropy protocol v1 (NIP-77's appendix), byte for byte as
 * hoytech/negentropy writes it. One side, over one {@link NegItems}: the client {@link #initiate()s}
 * and learns which ids it has and needs from each answer; the server answers each message. Holds no
 * state between messages but the items, so a server session is its items and this object.
 */
public final class Negentropy {
    public static final int PROTOCOL_VERSION = 0x61;
    /** Ranges of fewer records than this are sent as id lists, larger ones split into this many. */
    private static final int BUCKETS = 16;
    private static final int MODE_SKIP = 0;
    private static final int MODE_FINGERPRINT = 1;
    private static final int MODE_ID_LIST = 2;

    private final NegItems items;
    private final int frameSizeLimit;
    private boolean initiator;

    /** {@code frameSizeLimit}: the largest message this side writes, in bytes (0: none; else at least 4,096). */
    public Negentropy(NegItems items, int frameSizeLimit) {
        if (frameSizeLimit != 0 && frameSizeLimit < 4096) {
            throw new IllegalArgumentException("frameSizeLimit too small: " + frameSizeLimit);
        }
        this.items = items;
        this.frameSizeLimit = frameSizeLimit;
    }

    /** What a client learned from one answer, and what it sends next ({@code next} null when it is done). */
    public record Round(byte[] next, List<String> have, List<String> need) {}

    /** The client's first message: all its records, split into ranges. */
    public byte[] initiate() {
        if (initiator) {
            throw new IllegalStateException("already initiated");
        }
        initiator = true;
        Wire.Writer out = new Wire.Writer();
        out.bytes(new byte[] {(byte) PROTOCOL_VERSION});
        splitRange(0, items.size(), Bound.END, out);
        return out.toByteArray();
    }

    /** The server's answer to a client's message. */
    public byte[] answer(byte[] query) throws NegentropyException {
        if (initiator) {
            throw new IllegalStateException("the initiator reads answers with reconcile");
        }
        return process(query, null, null);
    }

    /** The client reads the server's answer: ids it has that the server lacks, ids it needs, and its next message. */
    public Round reconcile(byte[] answer) throws NegentropyException {
        if (!initiator) {
            throw new IllegalStateException("initiate first");
        }
        List<String> have = new ArrayList<>();
        List<String> need = new ArrayList<>();
        byte[] next = process(answer, have, need);
        return new Round(next.length == 1 ? null : next, have, need);
    }

    private byte[] process(byte[] message, List<String> have, List<String> need) throws NegentropyException {
        Wire.Reader in = new Wire.Reader(message);
        Wire.Writer full = new Wire.Writer();
        full.bytes(new byte[] {(byte) PROTOCOL_VERSION});
        int version = in.u8();
        if (version < 0x60 || version > 0x6f) {
            throw new NegentropyException("invalid negentropy protocol version byte");
        }
        if (version != PROTOCOL_VERSION) {
            if (initiator) {
                throw new NegentropyException("unsupported negentropy protocol version requested: " + (version - 0x60));
            }
            return full.toByteArray(); // the server's version, for the client to retry with
        }
        int size = items.size();
        Bound prevBound = Bound.ZERO;
        int prevIndex = 0;
        boolean skip = false;
        while (!in.atEnd()) {
            Wire.Writer o = full.part();
            Bound currBound = in.bound();
            long mode = in.varint();
            int lower = prevIndex;
            int upper = items.lowerBound(prevIndex, size, currBound);
            if (mode == MODE_SKIP) {
                skip = true;
            } else if (mode == MODE_FINGERPRINT) {
                byte[] theirs = in.bytes(NegItems.FINGERPRINT_SIZE);
                if (java.util.Arrays.equals(theirs, items.fingerprint(lower, upper))) {
                    skip = true;
                } else {
                    skip = writeSkip(skip, prevBound, o);
                    splitRange(lower, upper, currBound, o);
                }
            } else if (mode == MODE_ID_LIST) {
                long n = in.varint();
                if (n > (message.length / NegItems.ID_SIZE)) {
                    throw new NegentropyException("id list longer than the message");
                }
                if (initiator) {
                    Map<String, Boolean> theirs = new LinkedHashMap<>();
                    for (long i = 0; i < n; i++) {
                        theirs.put(Hex.encode(in.bytes(NegItems.ID_SIZE)), Boolean.TRUE);
                    }
                    skip = true;
                    for (int i = lower; i < upper; i++) {
                        String id = Hex.encode(items.id(i));
                        if (theirs.remove(id) == null) {
                            have.add(id);
                        }
                    }
                    need.addAll(theirs.keySet());
                } else {
                    in.bytes((int) (n * NegItems.ID_SIZE)); // a server answers with its own list
                    skip = writeSkip(skip, prevBound, o);
                    Wire.Writer ids = full.part();
                    int count = 0;
                    Bound end = currBound;
                    for (int i = lower; i < upper; i++) {
                        if (exceedsFrame(full.size() + ids.size())) {
                            end = new Bound(items.timestamp(i), items.id(i));
                            upper = i; // the rest of the range is fingerprinted below
                            break;
                        }
                        items.writeId(i, ids);
                        count++;
                    }
                    o.bound(end).varint(MODE_ID_LIST).varint(count).bytes(ids.toByteArray());
                    full.append(o);
                    o = full.part();
                }
            } else {
                throw new NegentropyException("unexpected mode " + mode);
            }
            if (exceedsFrame(full.size() + o.size())) {
                // the frame is full: one fingerprint for everything from here to the end
                full.bound(Bound.END).varint(MODE_FINGERPRINT).bytes(items.fingerprint(upper, size));
                break;
            }
            full.append(o);
            prevIndex = upper;
            prevBound = currBound;
        }
        return full.toByteArray();
    }

    /** Writes a pending skip up to {@code prevBound}, so that the range after it is not skipped; returns false. */
    private static boolean writeSkip(boolean skip, Bound prevBound, Wire.Writer o) {
        if (skip) {
            o.bound(prevBound).varint(MODE_SKIP);
        }
        return false;
    }

    /** Ranges of [lower, upper): an id list when small, else {@value #BUCKETS} fingerprinted buckets. */
    private void splitRange(int lower, int upper, Bound upperBound, Wire.Writer o) {
        int n = upper - lower;
        if (n < BUCKETS * 2) {
            o.bound(upperBound).varint(MODE_ID_LIST).varint(n);
            for (int i = lower; i < upper; i++) {
                items.writeId(i, o);
            }
            return;
        }
        int perBucket = n / BUCKETS;
        int withExtra = n % BUCKETS;
        int curr = lower;
        for (int b = 0; b < BUCKETS; b++) {
            int bucketSize = perBucket + (b < withExtra ? 1 : 0);
            byte[] fingerprint = items.fingerprint(curr, curr + bucketSize);
            curr += bucketSize;
            Bound next = curr == upper ? upperBound : Bound.between(items, curr);
            o.bound(next).varint(MODE_FINGERPRINT).bytes(fingerprint);
        }
    }

    private boolean exceedsFrame(int n) {
        return frameSizeLimit != 0 && n > frameSizeLimit - 200;
    }
}
