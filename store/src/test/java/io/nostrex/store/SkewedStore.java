package io.nostrex.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A store shaped like a busy relay's, for query plans: values from very common to absent. Written
 * with SQL (no signatures: plans do not read them), then moved into monthly partitions and analysed.
 * <ul>
 * <li>{@link #EVENTS} events, one a minute, over about four months;</li>
 * <li>a fifth of them by one prolific author, the rest by 5,000 authors;</li>
 * <li>kinds: 1 (70 %), 7 (30 %), 30023 once in a thousand;</li>
 * <li>{@code #t popular} on half of them, {@code #t rare} on ten, {@code #t topic-N} (200 values) on all;</li>
 * <li>{@code #p} of one celebrity on a third, {@code #e} of one viral note on a quarter.</li>
 * </ul>
 */
final class SkewedStore {
    static final int EVENTS = 200_000;
    /** created_at of event 1; event i is i minutes later. */
    static final long T0 = 1_700_000_000L;
    static final String PROLIFIC = "aa".repeat(32);
    static final String CELEBRITY = "cc".repeat(32);
    static final String VIRAL = "ee".repeat(32);
    static final String ABSENT = "ff".repeat(32);

    private SkewedStore() {}

    /** A new database holding the store, analysed. */
    static Database create() {
        Database db = TestDatabase.newDatabase();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(insertEvents());
            st.execute("INSERT INTO event_ids SELECT id FROM events");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        // the rows went to events_default; the monthly partitions take them over, as in production
        Instant last = Instant.ofEpochSecond(T0 + EVENTS * 60L);
        new PartitionMaintainer(db.dataSource(), 1, Clock.fixed(last, ZoneOffset.UTC)).maintain();
        TestDatabase.execute(db, "INSERT INTO event_tags (tag, kind, event_created_at, event_id)"
                + " SELECT k, kind, created_at, id FROM events CROSS JOIN LATERAL unnest(tags) AS k");
        TestDatabase.execute(db, "ANALYZE");
        return db;
    }

    /** The author of event {@code i}. */
    static String author(long i) {
        return i % 5 == 0 ? PROLIFIC : String.format("%064x", 1_000_000 + i % 5000);
    }

    /** The id of event {@code i}. */
    static String id(long i) {
        return String.format("%064x", i);
    }

    private static String insertEvents() {
        return "INSERT INTO events (id, pubkey, created_at, kind, tags, json)"
                + " SELECT decode(lpad(to_hex(i), 64, '0'), 'hex'),"
                + " CASE WHEN i % 5 = 0 THEN decode('" + PROLIFIC + "', 'hex')"
                + "      ELSE decode(lpad(to_hex(1000000 + i % 5000), 64, '0'), 'hex') END,"
                + " " + T0 + " + i * 60,"
                + " CASE WHEN i % 1000 = 1 THEN 30023 WHEN i % 10 < 7 THEN 1 ELSE 7 END,"
                + " array_remove(ARRAY["
                + "   CASE WHEN i % 2 = 0 THEN 't:popular' END,"
                + "   CASE WHEN i % 20000 = 7 THEN 't:rare' END,"
                + "   't:topic-' || (i % 200),"
                + "   CASE WHEN i % 3 = 0 THEN 'p:" + CELEBRITY + "' END,"
                + "   CASE WHEN i % 4 = 0 THEN 'e:" + VIRAL + "' END], NULL),"
                + " '{\"id\":\"' || lpad(to_hex(i), 64, '0') || '\"}'"
                + " FROM generate_series(1, " + EVENTS + ") AS i";
    }
}
