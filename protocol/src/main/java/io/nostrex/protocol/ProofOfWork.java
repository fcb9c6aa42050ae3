package io.nostrex.protocol;

import java.util.List;

/** NIP-13 proof of work: difficulty is the number of leading zero bits of the event id. */
public final class ProofOfWork {
    private ProofOfWork() {}

    public static int difficulty(String idHex) {
        int bits = 0;
        for (int i = 0; i < idHex.length(); i++) {
            int nibble = Character.digit(idHex.charAt(i), 16);
            if (nibble == 0) {
                bits += 4;
            } else {
                return bits + Integer.numberOfLeadingZeros(nibble) - 28;
            }
        }
        return bits;
    }

    /** The target difficulty the author committed to in {@code ["nonce", n, target]}, or -1. */
    public static int committedTarget(Event event) {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 3 && tag.get(0).equals("nonce") && tag.get(2).matches("\\d{1,3}")) {
                return Integer.parseInt(tag.get(2));
            }
        }
        return -1;
    }
}
