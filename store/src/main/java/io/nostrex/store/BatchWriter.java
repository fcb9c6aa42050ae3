package io.nostrex.store;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.Vanish;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Applies a {@link BatchPlan} with JDBC batches, in the order the plan prescribes. */
final class BatchWriter {
    private static final String INSERT_ID = "INSERT INTO event_ids (id) VALUES (?) ON CONFLICT DO NOTHING";
    private static final String DELETE_AT_ADDRESS = withTags("DELETE FROM events WHERE address = ?");
    private static final String DELETE_BY_ID = withTags(
            "DELETE FROM events WHERE id = ? AND pubkey = ? AND kind <> 5 AND kind <> " + Vanish.KIND);
    private static final String DELETE_VANISHED_AUTHOR = withTags(
            "DELETE FROM events WHERE pubkey = ? AND created_at <= ? AND id <> ?");
    private static final String DELETE_VANISHED_RECIPIENT = withTags("DELETE FROM events WHERE (id, created_at) IN"
            + " (SELECT event_id, event_created_at FROM event_tags WHERE tag = ? AND kind = " + Vanish.GIFT_WRAP
            + " AND event_created_at <= ?)");
    private static final String RECORD_VANISHED = "INSERT INTO vanished (pubkey, until, request_id) VALUES (?, ?, ?)"
            + " ON CONFLICT (pubkey) DO UPDATE SET until = EXCLUDED.until, request_id = EXCLUDED.request_id"
            + " WHERE vanished.until < EXCLUDED.until";
    private static final String DELETE_BY_ADDRESS = withTags("DELETE FROM events WHERE address = ? AND created_at <= ?");
    private static final String RECORD_ID_DELETION =
            "INSERT INTO deleted_events (id, pubkey, deletion_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String RECORD_ADDRESS_DELETION =
            "INSERT INTO deleted_addresses (address, deleted_until, deletion_id) VALUES (?, ?, ?)"
            + " ON CONFLICT (address) DO UPDATE SET deleted_until = EXCLUDED.deleted_until,"
            + " deletion_id = EXCLUDED.deletion_id WHERE deleted_addresses.deleted_until < EXCLUDED.deleted_until";
    /**
     * New events are copied into a temporary table of the connection, then moved into {@code events}
     * with their search vector computed: COPY cannot call {@code to_tsvector}.
     */
    private static final String STAGE_EVENTS = "CREATE TEMP TABLE IF NOT EXISTS events_in (id bytea, pubkey bytea,"
            + " created_at bigint, kind integer, address bytea, expires_at bigint, tags text[], search text, json text)"
            + " ON COMMIT DELETE ROWS";
    private static final String EVENT_COLUMNS = "id, pubkey, created_at, kind, address, expires_at, tags, search, json";
    private static final String MOVE_STAGED_EVENTS = "INSERT INTO events (" + EVENT_COLUMNS + ") SELECT id, pubkey,"
            + " created_at, kind, address, expires_at, tags, to_tsvector('simple'::regconfig, search), json FROM events_in";

    private BatchWriter() {}

    /** {@code json}: the JSON of events as they came, stored as is; the others are written with {@code EventJson}. */
    static void write(Connection c, BatchPlan plan, Map<Event, String> json) throws SQLException {
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
        Jdbc.batch(c, DELETE_VANISHED_AUTHOR, plan.vanishings(), (ps, v) -> {
            ps.setBytes(1, Hex.decode(v.pubkey()));
            ps.setLong(2, v.until());
            ps.setBytes(3, Hex.decode(v.requestId()));
        });
        Jdbc.batch(c, DELETE_VANISHED_RECIPIENT, plan.vanishings(), (ps, v) -> {
            ps.setString(1, TagIndex.key('p', v.pubkey()));
            ps.setLong(2, v.until());
        });
        Jdbc.batch(c, RECORD_VANISHED, plan.vanishings(), (ps, v) -> {
            ps.setBytes(1, Hex.decode(v.pubkey()));
            ps.setLong(2, v.until());
            ps.setBytes(3, Hex.decode(v.requestId()));
        });
        insertEvents(c, plan.inserts(), json);
        // rows of new events only: an id is stored at most once, so none of them can exist yet
        CopyRows.copy(c, "event_tags", "tag, kind, event_created_at, event_id", tagRows(plan.inserts()), (row, t) -> row
                .text(t.tag()).number(t.event().kind()).number(t.event().createdAt()).byteaHex(t.event().id()));
    }

    private static void insertEvents(Connection c, List<Event> events, Map<Event, String> json) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute(STAGE_EVENTS);
            CopyRows.copy(c, "events_in", EVENT_COLUMNS, events, (row, e) -> eventRow(row, e, json.get(e)));
            st.executeUpdate(MOVE_STAGED_EVENTS);
        }
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

    private static void eventRow(CopyRows row, Event e, String json) {
        String address = e.address();
        OptionalLong expiration = e.expiration();
        row.byteaHex(e.id()).byteaHex(e.pubkey()).number(e.createdAt()).number(e.kind())
                .bytea(address == null ? null : Addresses.digest(address));
        if (expiration.isPresent()) {
            row.number(expiration.getAsLong());
        } else {
            row.nul();
        }
        row.textArray(TagIndex.keys(e)).text(SearchText.indexed(e)).text(json != null ? json : EventJson.write(e));
    }
}
