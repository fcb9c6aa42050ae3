package io.nostrex.store;

import static io.nostrex.store.TestEvents.event;
import static io.nostrex.store.TestEvents.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.CountHll;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.auth.ReadAccess;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-45 in PostgreSQL: a COUNT reads at most its cap per filter, then estimates; the HLL of the named queries. */
class CountIT {
    private static final long NOW = 1_800_000_000L;
    private static final String NOTE = id(0xabc);
    private static final List<String> REACTORS = new ArrayList<>();
    private static Database db;
    private static EventQuery query;

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        Random random = new Random(7);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] pubkey = new byte[32];
            random.nextBytes(pubkey);
            REACTORS.add(Hex.encode(pubkey));
            events.add(event().id(id(1_000 + i)).by(REACTORS.get(i)).kind(7).at(1_000 + i).tag("e", NOTE).content("+").build());
        }
        for (int i = 0; i < 200; i++) {
            events.add(event().id(id(5_000 + i)).at(2_000 + i).content("note " + i).build());
        }
        // a private reaction-shaped event: only its parties count it
        events.add(event().id(id(9_000)).kind(4).at(3_000).tag("e", NOTE).tag("p", REACTORS.get(0)).content("?").build());
        new EventStore(db.dataSource()).store(events);
        query = new EventQuery(db.dataSource(), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void aCountPastItsCapIsThePlannersEstimateMarkedApproximate() {
        List<Filter> everything = List.of(Filter.any());
        assertThat(query.count(everything, null, 1_000)).isEqualTo(new EventQuery.Count(501, false, null));
        EventQuery.Count capped = query.count(everything, null, 100);
        assertThat(capped.approximate()).isTrue();
        assertThat(capped.count()).isGreaterThan(100);
        assertThat(capped.hll()).isNull();
        Filter notes = new Filter(null, null, Set.of(1), Map.of(), null, null, null, null);
        EventQuery.Count two = query.count(List.of(notes, Filter.any()), null, 250);
        assertThat(two.approximate()).as("one of two filters passes the cap").isTrue();
        assertThat(query.count(List.of(notes, notes), null, 250)).isEqualTo(new EventQuery.Count(200, false, null));
    }

    @Test
    void reactionsAreCountedWithTheirHyperLogLog() {
        Filter reactions = new Filter(null, null, Set.of(7), Map.of('e', Set.of(NOTE)), null, null, null, null);
        CountHll expected = new CountHll(CountHll.offset(NOTE));
        REACTORS.forEach(p -> expected.add(Hex.decode(p)));

        EventQuery.Count n = query.count(List.of(reactions), null, 1_000);

        assertThat(n.count()).isEqualTo(300);
        assertThat(n.approximate()).isFalse();
        assertThat(n.hll()).isEqualTo(expected.hex()).hasSize(512);
        assertThat(query.count(List.of(reactions), null, 100).hll()).as("no HLL over a capped read").isNull();
        Filter notesTagged = new Filter(null, null, Set.of(1), Map.of('e', Set.of(NOTE)), null, null, null, null);
        assertThat(query.count(List.of(notesTagged), null, 1_000)).as("replies: a named query, none here")
                .isEqualTo(new EventQuery.Count(0, false, new CountHll(CountHll.offset(NOTE)).hex()));
    }

    @Test
    void privateEventsCountOnlyForTheirParties() {
        Filter mentions = new Filter(null, null, null, Map.of('e', Set.of(NOTE)), null, null, null, null);
        ReadAccess anonymous = ReadAccess.anonymous(ReadAccess.DEFAULT_PRIVATE_KINDS);
        assertThat(query.count(List.of(mentions), anonymous, 1_000).count()).isEqualTo(300);
        assertThat(query.count(List.of(mentions), anonymous.with(REACTORS.get(0)), 1_000).count()).isEqualTo(301);
    }
}
