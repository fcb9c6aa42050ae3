package io.nostrex.store;

import io.nostrex.protocol.Hex;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/** Small JDBC helpers: binding parameter lists (arrays included), running JDBC batches, the writer lock. */
final class Jdbc {
    /** The advisory lock every writer of the events tables holds for its transaction ("nostrexW"). */
    static final long WRITER_LOCK = 0x6E6F737472657857L;

    private Jdbc() {}

    /** Binds one-based parameters: byte[][] as bytea[], String[] as text[], Integer[] as int4[], the rest as is. */
    static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        Connection c = ps.getConnection();
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof byte[][] values) {
                ps.setArray(i + 1, c.createArrayOf("bytea", values));
            } else if (p instanceof String[] values) {
                ps.setArray(i + 1, c.createArrayOf("text", values));
            } else if (p instanceof Integer[] values) {
                ps.setArray(i + 1, c.createArrayOf("int4", values));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /** Binds one item of a JDBC batch. */
    interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /** Runs {@code sql} once per item as one JDBC batch; nothing when there are no items. */
    static <T> void batch(Connection c, String sql, Collection<T> items, Binder<T> binder) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Takes the writer lock until the end of the current transaction; writers run one at a time. */
    static void lockWriter(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, WRITER_LOCK);
            ps.execute();
        }
    }

    /** Shares the writer lock with other sharers until the end of the transaction (see {@link EventStore#authorDisjoint}). */
    static void lockWriterShared(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            ps.setLong(1, WRITER_LOCK);
            ps.execute();
        }
    }

    static byte[][] ids(Collection<String> hexIds) {
        return hexIds.stream().map(Hex::decode).toArray(byte[][]::new);
    }

    static byte[][] digests(Collection<String> addresses) {
        return addresses.stream().map(Addresses::digest).toArray(byte[][]::new);
    }
}
