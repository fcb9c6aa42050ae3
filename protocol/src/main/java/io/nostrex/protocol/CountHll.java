package io.nostrex.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NIP-45 HyperLogLog: 256 one-byte registers over the pubkeys of the events a COUNT matched, so
 * that a client can merge the answers of several relays without counting an author twice. The
 * register of a pubkey is its byte at {@code offset}; its value is one more than the number of
 * leading zero bits of the seven bytes after it. The offset is 8 plus the value of the hex digit
 * at position 32 of the filter's tag value (a hex id or pubkey; the pubkey of a
 * {@code kind:pubkey:d} address; else the SHA-256 of the value). Not thread-safe.
 */
public final class CountHll {
    public static final int REGISTERS = 256;

    /**
     * The queries NIP-45 defines an HLL for, as (tag letter, kinds): reactions, reposts, quotes,
     * replies, comments and followers of the one tag value.
     */
    private static final Map<Character, List<Set<Integer>>> COUNTED = Map.of(
            'e', List.of(Set.of(7), Set.of(6), Set.of(1)),
            'q', List.of(Set.of(1, 1111)),
            'E', List.of(Set.of(1111)),
            'p', List.of(Set.of(3)));

    private final byte[] registers = new byte[REGISTERS];
    private final int offset;

    public CountHll(int offset) {
        if (offset < 8 || offset > 23) {
            throw new IllegalArgumentException("offset must be 8 to 23, got " + offset);
        }
        this.offset = offset;
    }

    /**
     * The offset for the filter's HLL, or -1 when NIP-45 defines none for it: exactly one tag
     * condition with exactly one value, the kinds of one of the counted queries, and no other
     * condition than since and until.
     */
    public static int offsetFor(Filter f) {
        if (f.ids() != null || f.authors() != null || f.search() != null || f.kinds() == null || f.tags().size() != 1) {
            return -1;
        }
        Map.Entry<Character, Set<String>> tag = f.tags().entrySet().iterator().next();
        if (tag.getValue().size() != 1 || !COUNTED.getOrDefault(tag.getKey(), List.of()).contains(f.kinds())) {
            return -1;
        }
        return offset(tag.getValue().iterator().next());
    }

    /** 8 plus the hex digit at position 32 of the value, or of the pubkey it names, or of its SHA-256. */
    public static int offset(String tagValue) {
        String hex = tagValue;
        if (!Hex.isLowerHex(hex, 64)) {
            String[] parts = tagValue.split(":", -1);
            hex = parts.length == 3 && Hex.isLowerHex(parts[1], 64) ? parts[1] : Hex.encode(sha256(tagValue));
        }
        return Character.digit(hex.charAt(32), 16) + 8;
    }

    /** Counts one matched event's author. */
    public void add(byte[] pubkey) {
        int register = pubkey[offset] & 0xff;
        int zeros = 0;
        for (int i = offset + 1; i < offset + 8; i++) {
            int b = pubkey[i] & 0xff;
            if (b == 0) {
                zeros += 8;
            } else {
                zeros += Integer.numberOfLeadingZeros(b) - 24;
                break;
            }
        }
        if (zeros + 1 > (registers[register] & 0xff)) {
            registers[register] = (byte) (zeros + 1);
        }
    }

    /** The 256 registers as 512 lowercase hex characters, as the COUNT answer's {@code hll}. */
    public String hex() {
        return Hex.encode(registers);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
