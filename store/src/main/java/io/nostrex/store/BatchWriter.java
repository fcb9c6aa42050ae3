package io.nostrex.store;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Hex;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Applies a {@link BatchPlan} with JDBC batches, in the order the plan prescribes. */
final class BatchWriter {
    private static final String INSERT_ID = "INSERT INTO event_ids (id) VALUES (?) ON CONFLICT DO NOTHING";
    private static final String DELETE_AT_ADDRESS = withTags("DELETE FROM events WHERE address = ?");
    private static final String DELETE_BY_ID = withTags("DELETE FROM events WHERE id = ? AND pubkey = ? AND kind <> 5");
    private static final String DELETE_BY_ADDRESS = withTags("DELETE FROM events WHERE address = ? AND created_at <= ?");
    private static final String INSERT_TAG =
            "INSERT INTO event_tags (tag, kind, event_created_at, event_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String RECORD_ID_DELETION =
            "INSERT INTO deleted_events (id, pubkey, deletion_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String RECORD_ADDRESS_DELETION =
            "INSERT INTO deleted_addresses (address, deleted_until, deletion_id) VALUES (?, ?, ?)"
            + " ON CONFLICT (address) DO UPDATE SET deleted_until = EXCLUDED.deleted_until,"
            + " deletion_id = EXCLUDED.deletion_id WHERE deleted_addresses.deleted_until < EXCLUDED.deleted_until";
    private static final String INSERT_EVENT =
            "INSERT INTO events (id, pubkey, created_at, kind, address, expires_at, tags, search, json)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, to_tsvector('simple'::regconfig, ?), ?)";

    private BatchWriter() {}

    static void write(Connection c, BatchPlan plan) throws SQLException {
        Jdbc.batch(c, INSERT_ID, plan.newIds(), (ps, e) -> ps.setBytes(1, Hex.decode(e.id())));
        Jdbc.batch(c, DELETE_AT_ADDRESS, plan.clearedAddresses(), (ps, a) -> ps.setBytes(1, Addresses.digest(a)));
        Jdbc.batch(c, DELETE_BY_ID, plan.idDeletions(), (ps, d) -> {
            ps.setBytes(1, Hex.decode(d.id()));
            ps.setBytes(2, Hex.decode(d.pubkey()));
        });
        Jdbc.batch(c, DELETE_BY_ADDRESS, plan.addressDeletions(), (ps, d) -> {
            ps.setBytes(1, Addresses.digest(d.address()));
            ps.setLong(2, d.until());
        });
        Jdbc.batch(c, RECORD_ID_DELETION, plan.idDeletions(), (ps, d) -> {
            ps.setBytes(1, Hex.decode(d.id()));
            ps.setBytes(2, Hex.decode(d.pubkey()));
            ps.setBytes(3, Hex.decode(d.deletionId()));
        });
        Jdbc.batch(c, RECORD_ADDRESS_DELETION, plan.addressDeletions(), (ps, d) -> {
            ps.setBytes(1, Addresses.digest(d.address()));
            ps.setLong(2, d.until());
            ps.setBytes(3, Hex.decode(d.deletionId()));
        });
        Jdbc.batch(c, INSERT_EVENT, plan.inserts(), BatchWriter::bindEvent);
        Jdbc.batch(c, INSERT_TAG, tagRows(plan.inserts()), (ps, row) -> {
            ps.setString(1, row.tag());
            ps.setInt(2, row.event().kind());
            ps.setLong(3, row.event().createdAt());
            ps.setBytes(4, Hex.decode(row.event().id()));
        });
    }

    /**
     * A statement deleting events, extended to delete their {@code event_tags} rows too: the
     * {@code DELETE} becomes a CTE returning what it removed.
     */
    static String withTags(String deleteEvents) {
        return "WITH gone AS (" + deleteEvents + " RETURNING id, created_at, tags) " + DELETE_GONE_TAGS;
    }

    /** Deletes the {@code event_tags} rows of the events in a CTE named {@code gone}. */
    static final String DELETE_GONE_TAGS = "DELETE FROM event_tags t USING gone CROSS JOIN LATERAL unnest(gone.tags) AS k(tag)"
            + " WHERE t.tag = k.tag AND t.event_created_at = gone.created_at AND t.event_id = gone.id";

    private record TagRow(String tag, Event event) {}

    private static List<TagRow> tagRows(List<Event> events) {
        List<TagRow> rows = new ArrayList<>();
        for (Event e : events) {
            for (String key : TagIndex.keys(e)) {
                rows.add(new TagRow(key, e));
            }
        }
        return rows;
    }

    private static void bindEvent(PreparedStatement ps, Event e) throws SQLException {
        ps.setBytes(1, Hex.decode(e.id()));
        ps.setBytes(2, Hex.decode(e.pubkey()));
        ps.setLong(3, e.createdAt());
        ps.setInt(4, e.kind());
        String address = e.address();
        ps.setBytes(5, address == null ? null : Addresses.digest(address));
        OptionalLong expiration = e.expiration();
        if (expiration.isPresent()) {
            ps.setLong(6, expiration.getAsLong());
        } else {
            ps.setNull(6, Types.BIGINT);
        }
        ps.setArray(7, ps.getConnection().createArrayOf("text", TagIndex.keys(e)));
        ps.setString(8, SearchText.indexed(e));
        ps.setString(9, EventJson.write(e));
    }
}
