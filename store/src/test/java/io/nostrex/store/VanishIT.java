package io.nostrex.store;

import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.BOB;
import static io.nostrex.store.TestEvents.event;
import static io.nostrex.store.TestEvents.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-62 against PostgreSQL: a request to vanish deletes, keeps out, and leaves everyone else alone. */
class VanishIT {
    private static final Set<String> URLS = Set.of("wss://relay.example.com");
    private static final Event NOTE = event().id(id(0x101)).at(100).tag("t", "gone").content("mine").build();
    private static final Event ARTICLE = event().id(id(0x102)).kind(30023).at(110).tag("d", "a").build();
    private static final Event DELETION = event().id(id(0x103)).kind(5).at(120).tag("e", id(0x999)).build();
    private static final Event WRAP_TO_ALICE = event().id(id(0x104)).by(BOB).kind(1059).at(130).tag("p", ALICE).build();
    private static final Event BOBS_NOTE = event().id(id(0x105)).by(BOB).at(130).tag("p", ALICE).build();
    private static final Event VANISH = event().id(id(0x106)).kind(62).at(150).tag("relay", "wss://relay.example.com/")
            .content("please forget me").build();
    private static final Event LATER = event().id(id(0x107)).at(200).build();
    private static Database db;
    private static EventStore store;
    private static EventQuery query;

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        store = new EventStore(db.dataSource(), URLS);
        query = new EventQuery(db.dataSource());
        store.store(List.of(NOTE, ARTICLE, DELETION, WRAP_TO_ALICE, BOBS_NOTE));
        assertThat(store.store(List.of(VANISH))).containsExactly(StoreOutcome.STORED);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void everythingOfTheAuthorUpToTheRequestIsGoneWithTheGiftWrapsToHerAndTheirTagRows() {
        Filter upToTheRequest = new Filter(null, null, null, Map.of(), null, 150L, null, null);
        assertThat(query.query(List.of(upToTheRequest), 500)).containsExactly(json(VANISH), json(BOBS_NOTE));
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM event_tags WHERE event_id = ANY(ARRAY["
                + String.join(",", List.of(NOTE, ARTICLE, WRAP_TO_ALICE).stream()
                .map(e -> "decode('" + e.id() + "', 'hex')").toList()) + "])")).isZero();
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM vanished WHERE pubkey = decode('" + ALICE
                + "', 'hex') AND until = 150 AND request_id = decode('" + VANISH.id() + "', 'hex')")).isEqualTo(1);
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM event_tags WHERE tag = 't:gone'")).isZero();
    }

    @Test
    void nothingOlderComesBackAndLaterEventsAreTaken() {
        Event oldWrap = event().by(BOB).kind(1059).at(149).tag("p", ALICE).build();
        Event undo = event().kind(5).at(300).tag("e", VANISH.id()).build();
        assertThat(store.store(List.of(NOTE, ARTICLE, oldWrap, LATER, undo)))
                .containsExactly(StoreOutcome.VANISHED, StoreOutcome.VANISHED, StoreOutcome.VANISHED,
                        StoreOutcome.STORED, StoreOutcome.STORED);
        assertThat(query.query(List.of(new Filter(Set.of(VANISH.id()), null, null, Map.of(), null, null, null, null)), 10))
                .as("a deletion request has no effect on a request to vanish").containsExactly(json(VANISH));
    }

    private static String json(Event e) {
        return EventJson.write(e);
    }
}
