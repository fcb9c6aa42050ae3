package io.nostrex.store;

import io.nostrex.protocol.Deletion;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.KindClass;
import io.nostrex.protocol.Vanish;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@link Snapshot} a batch is planned against: five indexed look-ups, whatever the batch size. */
final class SnapshotReader {
    static final String VANISHED = "SELECT pubkey, until FROM vanished WHERE pubkey = ANY(?)";
    static final String KNOWN_IDS = "SELECT id FROM event_ids WHERE id = ANY(?)";
    static final String DELETED_IDS = "SELECT id, pubkey FROM deleted_events WHERE id = ANY(?)";
    static final String DELETED_ADDRESSES = "SELECT address, deleted_until FROM deleted_addresses WHERE address = ANY(?)";
    static final String CURRENT_VERSIONS = "SELECT address, id, pubkey, created_at FROM events WHERE address = ANY(?)";
    /**
     * The look-ups probe their indexes, key by key. Left to itself, the planner reads a whole table
     * for a large array when the table is small against it: a replay into an empty database walked
     * {@code event_ids} for 185 of its 420 look-ups of ids, 41 million rows read for a million
     * events; the walks grow with the table until the planner turns.
     */
    static final String PROBES_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off";
    private static final String PLANNER_DEFAULTS = "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_bitmapscan TO DEFAULT";

    private SnapshotReader() {}

    static Snapshot read(Connection c, List<Event> batch) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        for (Event e : batch) {
            if (e.kindClass() != KindClass.EPHEMERAL) {
                ids.add(e.id());
            }
        }
        Map<String, String> addresses = addressesByDigest(batch);
        Set<String> pubkeys = new HashSet<>();
        for (Event e : batch) {
            pubkeys.add(e.pubkey());
            pubkeys.addAll(Vanish.giftWrapRecipients(e));
        }
        try (Statement st = c.createStatement()) {
            st.execute(PROBES_ONLY);
            Snapshot snapshot = new Snapshot(knownIds(c, ids), deletedIds(c, ids),
                    deletedAddresses(c, addresses), currentVersions(c, addresses), vanished(c, pubkeys));
            st.execute(PLANNER_DEFAULTS);
            return snapshot;
        }
    }

    private static Map<String, Long> vanished(Connection c, Set<String> pubkeys) throws SQLException {
        Map<String, Long> vanished = new HashMap<>();
        List<String> valid = pubkeys.stream().filter(p -> Hex.isLowerHex(p, 64)).toList();
        if (valid.isEmpty()) {
            return vanished;
        }
        try (ResultSet rs = select(c, VANISHED, Jdbc.ids(valid))) {
            while (rs.next()) {
                vanished.put(Hex.encode(rs.getBytes(1)), rs.getLong(2));
            }
        }
        return vanished;
    }

    /** Every address the batch touches, its events' and its deletion requests' own, keyed by digest hex. */
    private static Map<String, String> addressesByDigest(List<Event> batch) {
        Set<String> addresses = new HashSet<>();
        for (Event e : batch) {
            if (e.address() != null) {
                addresses.add(e.address());
            }
            if (e.kind() == Deletion.KIND) {
                for (String a : Deletion.of(e).addresses()) {
                    String address = Addresses.normalize(a);
                    if (address != null && Deletion.addressPubkey(a).equals(e.pubkey())) {
                        addresses.add(address);
                    }
                }
            }
        }
        Map<String, String> byDigest = new HashMap<>();
        addresses.forEach(a -> byDigest.put(Hex.encode(Addresses.digest(a)), a));
        return byDigest;
    }

    private static Set<String> knownIds(Connection c, Set<String> ids) throws SQLException {
        Set<String> known = new HashSet<>();
        try (ResultSet rs = select(c, KNOWN_IDS, Jdbc.ids(ids))) {
            while (rs.next()) {
                known.add(Hex.encode(rs.getBytes(1)));
            }
        }
        return known;
    }

    private static Map<String, Set<String>> deletedIds(Connection c, Set<String> ids) throws SQLException {
        Map<String, Set<String>> deleted = new HashMap<>();
        try (ResultSet rs = select(c, DELETED_IDS, Jdbc.ids(ids))) {
            while (rs.next()) {
                deleted.computeIfAbsent(Hex.encode(rs.getBytes(1)), k -> new HashSet<>()).add(Hex.encode(rs.getBytes(2)));
            }
        }
        return deleted;
    }

    private static Map<String, Long> deletedAddresses(Connection c, Map<String, String> byDigest) throws SQLException {
        Map<String, Long> deleted = new HashMap<>();
        try (ResultSet rs = select(c, DELETED_ADDRESSES, Jdbc.ids(byDigest.keySet()))) {
            while (rs.next()) {
                deleted.put(byDigest.get(Hex.encode(rs.getBytes(1))), rs.getLong(2));
            }
        }
        return deleted;
    }

    private static Map<String, Version> currentVersions(Connection c, Map<String, String> byDigest) throws SQLException {
        Map<String, Version> current = new HashMap<>();
        try (ResultSet rs = select(c, CURRENT_VERSIONS, Jdbc.ids(byDigest.keySet()))) {
            while (rs.next()) {
                Version v = new Version(Hex.encode(rs.getBytes(2)), Hex.encode(rs.getBytes(3)), rs.getLong(4), false);
                current.merge(byDigest.get(Hex.encode(rs.getBytes(1))), v, (a, b) -> a.beats(b) ? a : b);
            }
        }
        return current;
    }

    /** Runs a query with one array parameter; closing the result set closes the statement. */
    private static ResultSet select(Connection c, String sql, byte[][] values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.closeOnCompletion();
        Jdbc.bind(ps, List.of((Object) values));
        return ps.executeQuery();
    }
}
