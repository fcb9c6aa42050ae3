package io.nostrex.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reads a batch is planned against ({@link SnapshotReader}) probe their indexes, key by key,
 * for a batch as large as a replay's on tables that are small against it: the case in which the
 * planner, left to itself, reads a whole table (as it did in replays into an empty database).
 */
class SnapshotReadsIT {
    private static final int ROWS = 20_000;
    private static final int KEYS = 5_000;
    private static Database db;

    @BeforeAll
    static void fill() {
        db = TestDatabase.newDatabase();
        TestDatabase.execute(db, "INSERT INTO event_ids SELECT sha256(int4send(g)) FROM generate_series(1, " + ROWS + ") g");
        TestDatabase.execute(db, "INSERT INTO deleted_events (id, pubkey, deletion_id) SELECT sha256(int4send(g)),"
                + " sha256(int4send(-g)), sha256(int4send(g + " + ROWS + ")) FROM generate_series(1, " + ROWS + ") g");
        TestDatabase.execute(db, "INSERT INTO deleted_addresses (address, deleted_until, deletion_id)"
                + " SELECT sha256(int4send(g)), g, sha256(int4send(-g)) FROM generate_series(1, " + ROWS + ") g");
        TestDatabase.execute(db, "INSERT INTO vanished (pubkey, until, request_id)"
                + " SELECT sha256(int4send(g)), g, sha256(int4send(-g)) FROM generate_series(1, " + ROWS + ") g");
        TestDatabase.execute(db, "INSERT INTO events (id, pubkey, created_at, kind, address, tags, json)"
                + " SELECT sha256(int4send(g)), sha256(int4send(g % 100)), 1765000000 + g, 30023, sha256(int4send(-g)),"
                + " '{}', '{}' FROM generate_series(1, " + ROWS + ") g");
        TestDatabase.execute(db, "ANALYZE");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void everyLookUpProbesItsIndexForAReplaysBatch() throws SQLException {
        for (String lookUp : List.of(SnapshotReader.KNOWN_IDS, SnapshotReader.DELETED_IDS, SnapshotReader.DELETED_ADDRESSES,
                SnapshotReader.CURRENT_VERSIONS, SnapshotReader.VANISHED)) {
            String plan = plan(lookUp, true);
            assertThat(plan).as(lookUp).contains("Index").doesNotContain("Seq Scan").doesNotContain("Bitmap");
        }
    }

    /** Why the look-ups are held to probes: on its own, the planner walks {@code event_ids} for such a batch. */
    @Test
    void leftToItselfThePlannerWalksTheTable() throws SQLException {
        assertThat(plan(SnapshotReader.KNOWN_IDS, false)).contains("Seq Scan on event_ids");
    }

    /** The plan of a look-up for {@link #KEYS} keys, half of them present, as a store's transaction plans it. */
    private static String plan(String lookUp, boolean probesOnly) throws SQLException {
        byte[][] keys = new byte[KEYS][];
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT sha256(int4send(g)) FROM generate_series(" + (ROWS - KEYS / 2)
                         + ", " + (ROWS + KEYS / 2 - 1) + ") g")) {
                for (int i = 0; rs.next(); i++) {
                    keys[i] = rs.getBytes(1);
                }
                if (probesOnly) {
                    st.execute(SnapshotReader.PROBES_ONLY);
                }
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + lookUp)) {
                ps.setArray(1, c.createArrayOf("bytea", keys));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            c.rollback();
            return plan.toString();
        }
    }
}
