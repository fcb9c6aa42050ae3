package io.nostrex.protocol;

/** Lowercase hexadecimal, the only form NIP-01 allows for ids, keys and signatures. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    /** The value of each ASCII hex digit, either case; -1 for every other character. */
    private static final byte[] VALUES = new byte[128];
    /** Whether each ASCII character is a lowercase hex digit. */
    private static final boolean[] LOWER = new boolean[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int d = 0; d < 16; d++) {
            VALUES[DIGITS[d]] = (byte) d;
            VALUES[Character.toUpperCase(DIGITS[d])] = (byte) d;
            LOWER[DIGITS[d]] = true;
        }
    }

    private Hex() {}

    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** Decodes lowercase or uppercase hex; throws IllegalArgumentException on odd length or a non-hex digit. */
    public static byte[] decode(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length " + hex.length());
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            char high = hex.charAt(2 * i);
            char low = hex.charAt(2 * i + 1);
            int h = high < 128 ? VALUES[high] : -1;
            int l = low < 128 ? VALUES[low] : -1;
            if ((h | l) < 0) {
                throw new IllegalArgumentException("not a hex digit: '" + (h < 0 ? high : low) + "'");
            }
            out[i] = (byte) (h << 4 | l);
        }
        return out;
    }

    /** True when s is exactly {@code length} characters of lowercase hex. */
    public static boolean isLowerHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !LOWER[c]) {
                return false;
            }
        }
        return true;
    }
}
