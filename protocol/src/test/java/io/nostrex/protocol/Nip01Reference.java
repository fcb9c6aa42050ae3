package io.nostrex.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * NIP-01's serialization of an event's fields, written by Jackson's own generator with an escape
 * table of exactly the seven escapes NIP-01 lists (every other character verbatim), and its
 * SHA-256 by the JDK's digest: a computation independent of {@link Canonical}, for the fuzzers to
 * check it against.
 */
public final class Nip01Reference {
    private Nip01Reference() {}

    public static byte[] serialize(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        // Jackson's character generator, then the JDK's UTF-8 encoder: its byte generator writes the
        // two halves of a character outside the BMP as two escapes when an escape table is set
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setCharacterEscapes(Nip01Escapes.INSTANCE);
            g.writeStartArray();
            g.writeNumber(0);
            g.writeString(pubkey);
            g.writeNumber(createdAt);
            g.writeNumber(kind);
            g.writeStartArray();
            for (List<String> tag : tags) {
                g.writeStartArray();
                for (String v : tag) {
                    g.writeString(v);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeString(content);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The lowercase hex SHA-256 of the event's NIP-01 serialization: what its id must be. */
    public static String id(Event e) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(serialize(e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content()));
            StringBuilder sb = new StringBuilder(64);
            for (byte b : digest) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static final class Nip01Escapes extends CharacterEscapes {
        static final Nip01Escapes INSTANCE = new Nip01Escapes();
        private static final String SEVEN = "\"\\\n\r\t\b\f";
        private static final String[] WRITTEN = {"\\\"", "\\\\", "\\n", "\\r", "\\t", "\\b", "\\f"};
        private final int[] ascii = new int[128];

        private Nip01Escapes() {
            // each written as NIP-01 says; with a custom table Jackson's standard escape is \\u00XX
            for (char c : SEVEN.toCharArray()) {
                ascii[c] = ESCAPE_CUSTOM;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            int i = SEVEN.indexOf(ch);
            return i < 0 ? null : new SerializedString(WRITTEN[i]);
        }
    }
}
