package io.nostrex.store;

import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.address;
import static io.nostrex.store.TestEvents.event;
import static io.nostrex.store.TestEvents.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code event_tags}, the table tag-driven REQs walk: it holds exactly one row per indexed tag of
 * every stored event, through inserts, replacements, deletions and expiry, and the migration that
 * creates it fills it from the events already stored.
 */
class EventTagsIT {
    private static Database db;
    private static EventStore store;
    private static EventQuery query;

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        store = new EventStore(db.dataSource());
        query = new EventQuery(db.dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        TestDatabase.truncate(db);
    }

    private static long tagRows() {
        return TestDatabase.count(db, "SELECT count(*) FROM event_tags");
    }

    /** Tag rows that have no event, or events whose tags have no row: both must be zero. */
    private static void assertInStep() {
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM event_tags t WHERE NOT EXISTS"
                + " (SELECT 1 FROM events e WHERE e.id = t.event_id AND e.created_at = t.event_created_at"
                + " AND t.kind = e.kind AND t.tag = ANY(e.tags))")).as("tag rows without their event (and kind)").isZero();
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM events e CROSS JOIN LATERAL unnest(e.tags) AS k(tag)"
                + " WHERE NOT EXISTS (SELECT 1 FROM event_tags t WHERE t.tag = k.tag"
                + " AND t.event_created_at = e.created_at AND t.event_id = e.id)")).as("tags without their row").isZero();
    }

    private static Filter byTag(char letter, String... values) {
        return new Filter(null, null, null, Map.of(letter, Set.of(values)), null, null, null, null);
    }

    @Test
    void oneRowPerDistinctIndexedTagOfEachStoredEvent() {
        store.store(List.of(event().tag("t", "a").tag("t", "a").tag("p", ALICE).tag("expiration", "99999999999").build(),
                event().kind(20001).tag("t", "ephemeral").build()));
        assertThat(tagRows()).isEqualTo(2);
        assertInStep();
    }

    @Test
    void aReplacedVersionTakesItsTagRowsWithIt() {
        Event v1 = event().kind(10002).at(100).tag("r", "wss://one").build();
        Event v2 = event().kind(10002).at(200).tag("r", "wss://two").build();
        store.store(List.of(v1));
        store.store(List.of(v2));
        assertThat(query.query(List.of(byTag('r', "wss://one", "wss://two")), 10)).containsExactly(EventJson.write(v2));
        assertThat(tagRows()).isEqualTo(1);
        assertInStep();
    }

    @Test
    void deletionsByIdAndByAddressTakeTheTagRowsWithThem() {
        Event note = event().at(100).tag("t", "gone").build();
        Event article = event().kind(30023).at(100).tag("d", "post").tag("t", "gone").build();
        store.store(List.of(note, article));
        store.store(List.of(event().kind(5).at(200).tag("e", note.id()).tag("a", address(30023, ALICE, "post")).build()));
        assertThat(query.query(List.of(byTag('t', "gone")), 10)).isEmpty();
        assertThat(tagRows()).isEqualTo(2); // the deletion's own e and a tags
        assertInStep();
    }

    @Test
    void expiredEventsArePurgedWithTheirTagRows() {
        store.store(List.of(event().at(100).tag("t", "brief").tag("expiration", "1000").build(),
                event().at(100).tag("t", "lasting").build()));
        assertThat(store.purgeExpired(Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC))).isEqualTo(1);
        assertThat(tagRows()).isEqualTo(1);
        assertInStep();
    }

    @Test
    void theMigrationFillsTheTableFromStoredEvents() throws Exception {
        // a database at the schema before event_tags existed, with an event stored
        DataSource bare = TestDatabase.newBareDatabase();
        Flyway.configure().dataSource(bare).locations("classpath:db/migration").target("5").load().migrate();
        Event old = event().id(id(0x61)).at(100).tag("t", "before").tag("p", ALICE).build();
        try (Connection c = bare.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO events (id, pubkey, created_at, kind, tags, json) VALUES ('\\x" + old.id()
                    + "', '\\x" + old.pubkey() + "', 100, 1, '{t:before,p:" + ALICE + "}', '"
                    + EventJson.write(old).replace("'", "''") + "')");
        }
        Flyway.configure().dataSource(bare).locations("classpath:db/migration").load().migrate();
        try (Connection c = bare.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM event_tags WHERE kind = 1")) {
            rs.next();
            assertThat(rs.getLong(1)).as("both tag rows, with their event's kind").isEqualTo(2);
        }
        assertThat(new EventQuery(bare).query(List.of(byTag('t', "before")), 10)).containsExactly(EventJson.write(old));
        assertThat(new EventQuery(bare).count(List.of(byTag('p', ALICE)))).isEqualTo(1);
    }
}
