package io.nostrex.store;

import io.nostrex.protocol.Hex;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows sent with {@code COPY ... FROM STDIN} in PostgreSQL's text format: no statement to parse or
 * plan per row, which makes bulk inserts of new rows (events, their tag rows) several times cheaper
 * than batched INSERTs. COPY has no ON CONFLICT: only for rows that cannot exist yet.
 */
final class CopyRows {
    private static final int FLUSH_CHARS = 1 << 16;

    /** Writes the fields of one row. */
    interface Writer<T> {
        void write(CopyRows row, T item);
    }

    private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096);
    private boolean firstField = true;

    private CopyRows() {}

    /** Copies one row per item into {@code table (columns)}; returns the rows copied. */
    static <T> long copy(Connection c, String table, String columns, Collection<T> items, Writer<T> writer)
            throws SQLException {
        if (items.isEmpty()) {
            return 0;
        }
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
        try {
            CopyRows row = new CopyRows();
            for (T item : items) {
                writer.write(row, item);
                row.endRow();
                if (row.buffer.length() >= FLUSH_CHARS) {
                    row.flushTo(in);
                }
            }
            row.flushTo(in);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    CopyRows text(String value) {
        if (value == null) {
            return nul();
        }
        separate();
        escape(value);
        return this;
    }

    CopyRows number(long value) {
        separate();
        buffer.append(value);
        return this;
    }

    CopyRows bytea(byte[] value) {
        if (value == null) {
            return nul();
        }
        separate();
        buffer.append("\\\\x").append(Hex.encode(value)); // bytea's \x form, its backslash escaped for COPY
        return this;
    }

    /**
     * A bytea given as the lowercase hex of its bytes (an id or a key, already checked): written as is,
     * not decoded only to be encoded again.
     */
    CopyRows byteaHex(String lowerHex) {
        separate();
        buffer.append("\\\\x").append(lowerHex);
        return this;
    }

    /** A text[] value: each element quoted for the array literal, then the literal escaped for COPY. */
    CopyRows textArray(String[] values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"');
            for (int k = 0; k < values[i].length(); k++) {
                char ch = values[i].charAt(k);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        return text(literal.append('}').toString());
    }

    CopyRows nul() {
        separate();
        buffer.append("\\N");
        return this;
    }

    private void separate() {
        if (!firstField) {
            buffer.append('\t');
        }
        firstField = false;
    }

    private void endRow() {
        buffer.append('\n');
        firstField = true;
    }

    /**
     * COPY text format: backslash, and the delimiters tab, newline and carriage return, escaped. The
     * runs between them are appended whole.
     */
    private void escape(String value) {
        int run = 0;
        for (int i = 0; i < value.length(); i++) {
            char escaped = switch (value.charAt(i)) {
                case '\\' -> '\\';
                case '\t' -> 't';
                case '\n' -> 'n';
                case '\r' -> 'r';
                default -> 0;
            };
            if (escaped != 0) {
                buffer.append(value, run, i).append('\\').append(escaped);
                run = i + 1;
            }
        }
        buffer.append(value, run, value.length());
    }

    private void flushTo(CopyIn in) throws SQLException {
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }
}
