package io.nostrex.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The NIP-01 canonical serialization {@code [0,pubkey,created_at,kind,tags,content]} whose SHA-256 is
 * the event id. Written by hand, byte-exact: UTF-8, no whitespace, and in strings exactly the seven
 * escapes NIP-01 lists (\n \" \\ \r \t \b \f); every other character is written verbatim, including
 * other control characters, DEL, '/', HTML characters and non-ASCII. A general JSON writer must not
 * be used here: its escaping differs.
 */
public final class Canonical {
    private Canonical() {}

    public static byte[] serialize(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        Buffer out = new Buffer(256 + content.length() * 2);
        out.ascii("[0,\"").ascii(pubkey).ascii("\",").ascii(Long.toString(createdAt)).put(',')
                .ascii(Integer.toString(kind)).put(',').put('[');
        for (int t = 0; t < tags.size(); t++) {
            if (t > 0) {
                out.put(',');
            }
            out.put('[');
            List<String> tag = tags.get(t);
            for (int i = 0; i < tag.size(); i++) {
                if (i > 0) {
                    out.put(',');
                }
                out.string(tag.get(i));
            }
            out.put(']');
        }
        out.ascii("],").string(content).put(']');
        return out.toByteArray();
    }

    public static byte[] serialize(Event e) {
        return serialize(e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content());
    }

    /** The event id: lowercase hex of SHA-256 over the canonical serialization. */
    public static String id(Event e) {
        return Hex.encode(sha256(serialize(e)));
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Canonical::newSha256);

    public static byte[] sha256(byte[] data) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(data);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", impossible);
        }
    }

    /** A growable byte buffer (unsynchronised) that writes strings as NIP-01 escaped UTF-8. */
    private static final class Buffer {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        private void write(int b) {
            bytes[size++] = (byte) b;
        }

        Buffer put(char c) {
            ensure(1);
            write(c);
            return this;
        }

        Buffer ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
            return this;
        }

        Buffer string(String s) {
            ensure(s.length() * 3 + 2);
            write('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    write(c);
                    continue;
                }
                switch (c) {
                    case '\n' -> escape('n');
                    case '"' -> escape('"');
                    case '\\' -> escape('\\');
                    case '\r' -> escape('r');
                    case '\t' -> escape('t');
                    case '\b' -> escape('b');
                    case '\f' -> escape('f');
                    default -> i = utf8(s, i);
                }
            }
            write('"');
            return this;
        }

        private void escape(char c) {
            write('\\');
            write(c);
        }

        /** Writes the code point at i as UTF-8 and returns the index of its last char. */
        private int utf8(String s, int i) {
            char c = s.charAt(i);
            if (c < 0x80) {
                write(c);
            } else if (c < 0x800) {
                write(0xC0 | (c >> 6));
                write(0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                write(0xE0 | (c >> 12));
                write(0x80 | ((c >> 6) & 0x3F));
                write(0x80 | (c & 0x3F));
            } else {
                int cp = s.codePointAt(i);
                if (!Character.isSupplementaryCodePoint(cp)) {
                    throw new IllegalArgumentException("unpaired surrogate at index " + i);
                }
                write(0xF0 | (cp >> 18));
                write(0x80 | ((cp >> 12) & 0x3F));
                write(0x80 | ((cp >> 6) & 0x3F));
                write(0x80 | (cp & 0x3F));
                return i + 1;
            }
            return i;
        }
    }
}
