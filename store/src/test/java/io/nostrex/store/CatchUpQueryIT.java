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

/**
 * The live catch-up read ({@link EventQuery#queryStoredSince}): only what was stored at or after a
 * moment, whatever the events' created_at, every filter field still applied, limits ignored up to
 * the cap, and the plan driven by the stored_at index rather than a walk of an author's history.
 */
class CatchUpQueryIT {
    private static Database db;
    private static EventQuery query;
    private static long between;

    private static final Event OLD_BY_ALICE = event().id(id(0x71)).at(1_000).build();
    private static final Event OLD_BY_BOB = event().id(id(0x72)).by(BOB).at(1_001).build();
    private static final Event NEW_BY_ALICE = event().id(id(0x73)).at(900).tag("t", "late").build();
    private static final Event NEW_BY_BOB = event().id(id(0x74)).by(BOB).kind(7).at(2_000).build();
    private static final Event NEW_BY_ALICE_2 = event().id(id(0x75)).at(950).build();

    @BeforeAll
    static void open() throws InterruptedException {
        db = TestDatabase.newDatabase();
        EventStore store = new EventStore(db.dataSource());
        store.store(List.of(OLD_BY_ALICE, OLD_BY_BOB));
        Thread.sleep(20);
        between = System.currentTimeMillis();
        Thread.sleep(20);
        store.store(List.of(NEW_BY_ALICE, NEW_BY_BOB, NEW_BY_ALICE_2));
        query = new EventQuery(db.dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static Filter filter(Set<String> authors, Set<Integer> kinds, Map<Character, Set<String>> tags, Integer limit) {
        return new Filter(null, authors, kinds, tags, null, null, limit, null);
    }

    @Test
    void onlyEventsStoredSinceTheMomentNewestFirst() {
        assertThat(query.queryStoredSince(List.of(filter(null, null, Map.of(), null)), between, 100))
                .containsExactly(EventJson.write(NEW_BY_BOB), EventJson.write(NEW_BY_ALICE_2), EventJson.write(NEW_BY_ALICE));
        assertThat(query.queryStoredSince(List.of(filter(null, null, Map.of(), null)), System.currentTimeMillis() + 60_000, 100))
                .isEmpty();
    }

    @Test
    void everyFieldOfTheFilterStillApplies() {
        assertThat(query.queryStoredSince(List.of(filter(Set.of(ALICE), null, Map.of(), null)), between, 100))
                .containsExactly(EventJson.write(NEW_BY_ALICE_2), EventJson.write(NEW_BY_ALICE));
        assertThat(query.queryStoredSince(List.of(filter(null, Set.of(7), Map.of(), null)), between, 100))
                .containsExactly(EventJson.write(NEW_BY_BOB));
        assertThat(query.queryStoredSince(List.of(filter(null, null, Map.of('t', Set.of("late")), null)), between, 100))
                .containsExactly(EventJson.write(NEW_BY_ALICE));
    }

    @Test
    void theFilterLimitDoesNotApplyButTheCapDoes() {
        assertThat(query.queryStoredSince(List.of(filter(Set.of(ALICE), null, Map.of(), 1)), between, 100)).hasSize(2);
        assertThat(query.queryStoredSince(List.of(filter(Set.of(ALICE, BOB), null, Map.of(), null)), between, 2))
                .containsExactly(EventJson.write(NEW_BY_BOB), EventJson.write(NEW_BY_ALICE_2));
    }

    @Test
    void anAuthorCatchUpIsNotAPerAuthorScan() {
        FilterSql.Query q = FilterSql.select(List.of(filter(Set.of(ALICE), Set.of(1), Map.of(), 10)), 100, 0, between, null);
        assertThat(q.sql()).contains("stored_at >=").doesNotContain("unnest");
    }
}
