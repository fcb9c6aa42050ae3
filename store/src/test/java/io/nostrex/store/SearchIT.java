package io.nostrex.store;

import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.BOB;
import static io.nostrex.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.auth.ReadAccess;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-50 in PostgreSQL: relevance first, the limit after ranking, other filters after, private kinds withheld. */
class SearchIT {
    private static final long NOW = 1_800_000_000L;
    private static final Event ONCE_NEWEST = event().at(500).content("a zebra crossing").build();
    private static final Event THRICE_OLDEST = event().at(100).content("Zebra, zebra and zebra!").build();
    private static final Event TWICE = event().at(300).content("zebra stripes on a zebra").build();
    private static final Event OTHER = event().by(BOB).at(400).kind(7).content("+").build();
    private static final Event DM = event().kind(4).at(600).tag("p", BOB).content("zebra").build();
    private static Database db;
    private static EventQuery query;

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        new EventStore(db.dataSource()).store(List.of(ONCE_NEWEST, THRICE_OLDEST, TWICE, OTHER, DM));
        query = new EventQuery(db.dataSource(), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static Filter search(String words, Integer limit) {
        return new Filter(null, null, null, Map.of(), null, null, limit, words);
    }

    @Test
    void theMostRelevantComeFirstAndTheLimitAppliesAfterRanking() {
        assertThat(query.query(List.of(search("zebra", null)), 100))
                .containsExactly(json(THRICE_OLDEST), json(TWICE), json(ONCE_NEWEST));
        assertThat(query.query(List.of(search("ZEBRA include:spam", 1)), 100)).containsExactly(json(THRICE_OLDEST));
        assertThat(query.query(List.of(search("zebra crossing", null)), 100)).containsExactly(json(ONCE_NEWEST));
    }

    @Test
    void eventsOfFiltersWithoutASearchComeAfterNewestFirst() {
        Filter reactions = new Filter(null, null, Set.of(7), Map.of(), null, null, null, null);
        assertThat(query.query(List.of(reactions, search("stripes", null)), 100))
                .containsExactly(json(TWICE), json(OTHER));
    }

    @Test
    void aSearchWithoutWordsIsNoCondition() {
        assertThat(query.query(List.of(search("include:spam", null)), 100)).hasSize(5);
    }

    @Test
    void privateKindsAreLeftOutOfASearchForWhoMayNotReadThem() {
        // Given a relay on which kind 1 is private, and the encrypted DM, which has no words
        ReadAccess anonymous = ReadAccess.anonymous(Set.of(1, 4));
        Filter zebras = search("zebra", null);
        // Then a search finds kind-1 events only for their author, and never the DM
        assertThat(query.query(List.of(zebras), 100, anonymous)).isEmpty();
        assertThat(query.count(List.of(zebras), anonymous, 100).count()).isZero();
        assertThat(query.query(List.of(zebras), 100, anonymous.with(BOB))).isEmpty();
        assertThat(query.query(List.of(zebras), 100, anonymous.with(ALICE)))
                .containsExactly(json(THRICE_OLDEST), json(TWICE), json(ONCE_NEWEST));
        assertThat(query.query(List.of(zebras), 100)).doesNotContain(json(DM));
    }

    private static String json(Event e) {
        return EventJson.write(e);
    }
}
