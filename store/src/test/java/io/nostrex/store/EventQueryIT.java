package io.nostrex.store;

import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.BOB;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read path against a real PostgreSQL, over one fixed data set: each filter field, limits,
 * order and ties, expiration, deduplication across filters, COUNT, search.
 */
class EventQueryIT {
    private static final long NOW = 1_000_000L;
    private static Database db;
    private static EventQuery query;

    private static final Event NOTE_1 = event().id(id(0x11)).at(100).tag("t", "nostr").tag("p", BOB).content("hello relay world").build();
    private static final Event NOTE_2 = event().id(id(0x12)).at(200).tag("e", id(0x11)).tag("t", "Nostr").content("second note").build();
    private static final Event NOTE_3 = event().id(id(0x13)).by(BOB).at(300).tag("e", id(0x11)).tag("e", id(0x12)).build();
    private static final Event REACTION = event().id(id(0x14)).by(BOB).kind(7).at(300).tag("e", id(0x12)).content("+").build();
    private static final Event TIE_HIGH = event().id(id(0x22)).kind(1111).at(400).build();
    private static final Event TIE_LOW = event().id(id(0x21)).kind(1111).at(400).build();
    private static final Event EXPIRED = event().id(id(0x31)).at(500).tag("expiration", String.valueOf(NOW)).build();
    private static final Event EXPIRING = event().id(id(0x32)).at(500).tag("expiration", String.valueOf(NOW + 1)).build();
    private static final Event ARTICLE = event().id(id(0x41)).kind(30023).tag("d", "post").at(50)
            .content("Long form about relays and databases").build();
    private static final Event DM = event().id(id(0x51)).kind(4).at(60).tag("p", BOB).content("hello?iv=secret").build();

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        new EventStore(db.dataSource()).store(List.of(NOTE_1, NOTE_2, NOTE_3, REACTION, TIE_HIGH, TIE_LOW,
                EXPIRED, EXPIRING, ARTICLE, DM));
        query = new EventQuery(db.dataSource(), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static FilterBuilder filter() {
        return new FilterBuilder();
    }

    private static List<String> json(Event... events) {
        return Arrays.stream(events).map(EventJson::write).toList();
    }

    private static List<String> query(FilterBuilder... filters) {
        return query.query(Arrays.stream(filters).map(FilterBuilder::build).toList(), 100);
    }

    @Test
    void everythingNewestFirstTiesByLowestIdExpiredNeverServed() {
        assertThat(query(filter())).containsExactlyElementsOf(json(EXPIRING, TIE_LOW, TIE_HIGH, NOTE_3, REACTION,
                NOTE_2, NOTE_1, DM, ARTICLE));
    }

    @Test
    void byIds() {
        assertThat(query(filter().ids(id(0x11), id(0x13), id(0x99)))).containsExactlyElementsOf(json(NOTE_3, NOTE_1));
        assertThat(query(filter().ids(EXPIRED.id()))).isEmpty();
    }

    @Test
    void byAuthorsAndKinds() {
        assertThat(query(filter().authors(BOB))).containsExactlyElementsOf(json(NOTE_3, REACTION));
        assertThat(query(filter().authors(BOB).kinds(7))).containsExactlyElementsOf(json(REACTION));
        assertThat(query(filter().kinds(30023, 4))).containsExactlyElementsOf(json(DM, ARTICLE));
    }

    @Test
    void byTagsOrWithinALetterAndAcrossLetters() {
        assertThat(query(filter().tag('e', id(0x11)))).containsExactlyElementsOf(json(NOTE_3, NOTE_2));
        assertThat(query(filter().tag('e', id(0x11), id(0x12)))).containsExactlyElementsOf(json(NOTE_3, REACTION, NOTE_2));
        assertThat(query(filter().tag('e', id(0x11)).tag('t', "Nostr"))).containsExactlyElementsOf(json(NOTE_2));
        assertThat(query(filter().tag('t', "nostr"))).containsExactlyElementsOf(json(NOTE_1));
        assertThat(query(filter().tag('p', BOB).kinds(4))).containsExactlyElementsOf(json(DM));
        assertThat(query(filter().tag('d', "post"))).containsExactlyElementsOf(json(ARTICLE));
    }

    @Test
    void tagQueriesKeepLimitsAndTimeBoundsWhenAnEventHasSeveralOfTheValues() {
        assertThat(query(filter().tag('e', id(0x11), id(0x12)).limit(2))).containsExactlyElementsOf(json(NOTE_3, REACTION));
        assertThat(query(filter().tag('e', id(0x11), id(0x12)).since(250))).containsExactlyElementsOf(json(NOTE_3, REACTION));
        assertThat(query(filter().tag('e', id(0x11), id(0x12)).until(250))).containsExactlyElementsOf(json(NOTE_2));
        assertThat(query(filter().tag('e', id(0x11), id(0x12)).kinds(7))).containsExactlyElementsOf(json(REACTION));
        assertThat(query(filter().tag('t', "nostr", "Nostr").tag('p', BOB))).containsExactlyElementsOf(json(NOTE_1));
    }

    @Test
    void aSingleTagValueKeepsLimitsTimeBoundsAndOtherConditions() {
        assertThat(query(filter().tag('e', id(0x11)).limit(1))).containsExactlyElementsOf(json(NOTE_3));
        assertThat(query(filter().tag('e', id(0x11)).since(250))).containsExactlyElementsOf(json(NOTE_3));
        assertThat(query(filter().tag('e', id(0x11)).until(250))).containsExactlyElementsOf(json(NOTE_2));
        assertThat(query(filter().tag('e', id(0x12)).kinds(7))).containsExactlyElementsOf(json(REACTION));
        assertThat(query(filter().tag('e', id(0x12)).authors(BOB).limit(1))).containsExactlyElementsOf(json(NOTE_3));
        assertThat(query(filter().tag('t', "Nostr").tag('e', id(0x11)))).containsExactlyElementsOf(json(NOTE_2));
    }

    @Test
    void sinceAndUntilAreInclusive() {
        assertThat(query(filter().since(200).until(300))).containsExactlyElementsOf(json(NOTE_3, REACTION, NOTE_2));
        assertThat(query(filter().since(300).until(300))).containsExactlyElementsOf(json(NOTE_3, REACTION));
        assertThat(query(filter().since(301).until(399))).isEmpty();
    }

    @Test
    void limitKeepsTheNewestAndBreaksTiesByLowestId() {
        assertThat(query(filter().limit(2))).containsExactlyElementsOf(json(EXPIRING, TIE_LOW));
        assertThat(query(filter().kinds(1111).limit(1))).containsExactlyElementsOf(json(TIE_LOW));
        assertThat(query(filter().limit(0))).isEmpty();
    }

    @Test
    void limitIsCappedAtMaxLimitAndAbsentMeansMaxLimit() {
        assertThat(query.query(List.of(filter().limit(50).build()), 3)).hasSize(3);
        assertThat(query.query(List.of(filter().build()), 3)).containsExactlyElementsOf(json(EXPIRING, TIE_LOW, TIE_HIGH));
    }

    @Test
    void filtersAreOredEachWithItsOwnLimitAndEventsAppearOnce() {
        List<String> result = query(filter().authors(BOB).limit(1), filter().ids(id(0x13), id(0x11)),
                filter().kinds(4));
        assertThat(result).containsExactlyElementsOf(json(NOTE_3, NOTE_1, DM));
    }

    @Test
    void filtersThatMatchNothingAreSkipped() {
        assertThat(query(filter().ids())).isEmpty();
        assertThat(query(filter().ids(), filter().kinds(7))).containsExactlyElementsOf(json(REACTION));
        assertThat(query.count(List.of(filter().authors().build()))).isZero();
    }

    @Test
    void countsDistinctEventsIgnoringLimits() {
        assertThat(query.count(List.of(filter().build()))).isEqualTo(9);
        assertThat(query.count(List.of(filter().authors(BOB).limit(1).build(), filter().kinds(7).build()))).isEqualTo(2);
        assertThat(query.count(List.of(filter().tag('e', id(0x11)).build()))).isEqualTo(2);
    }

    @Test
    void expirationIsJudgedByTheClock() {
        EventQuery later = new EventQuery(db.dataSource(), Clock.fixed(Instant.ofEpochSecond(NOW + 1), ZoneOffset.UTC));
        assertThat(later.query(List.of(filter().since(500).build()), 10)).isEmpty();
        EventQuery earlier = new EventQuery(db.dataSource(), Clock.fixed(Instant.ofEpochSecond(NOW - 1), ZoneOffset.UTC));
        assertThat(earlier.query(List.of(filter().since(500).build()), 10)).containsExactlyElementsOf(json(EXPIRED, EXPIRING));
    }

    @Test
    void searchMatchesWordsOfTheContent() {
        assertThat(query(filter().search("relays"))).containsExactlyElementsOf(json(ARTICLE));
        assertThat(query(filter().search("HELLO"))).containsExactlyElementsOf(json(NOTE_1));
        assertThat(query(filter().search("hello world include:spam"))).containsExactlyElementsOf(json(NOTE_1));
        assertThat(query(filter().search("absent"))).isEmpty();
    }

    @Test
    void existsKnowsAcceptedIds() {
        assertThat(query.exists(NOTE_1.id())).isTrue();
        assertThat(query.exists(id(0x99))).isFalse();
        assertThat(query.exists("not an id")).isFalse();
    }

    /** Builds filters with absent fields by default. */
    @Test
    void walksRunOnThePoolThatKeepsOnePlanAndSearchesAndCountsArePlannedForTheirValues() throws Exception {
        // Given the relay's two pools, of two connections each (Flyway needs two)
        try (Database two = TestDatabase.newDatabase(2)) {
            new EventStore(two.dataSource()).store(List.of(NOTE_1, NOTE_2, NOTE_3, ARTICLE));
            EventQuery q = new EventQuery(two.dataSource(), two.reusablePlans(), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
            // When each shape runs more often than the driver's threshold for preparing on the server (5)
            for (int i = 0; i < 8; i++) {
                assertThat(q.query(List.of(filter().authors(ALICE).build()), 100)).hasSize(3);
                assertThat(q.query(List.of(filter().tag('t', "nostr").build()), 100)).hasSize(1);
                assertThat(q.query(List.of(filter().ids(NOTE_1.id()).build()), 100)).hasSize(1);
                assertThat(q.query(List.of(filter().kinds(30023).build()), 100)).hasSize(1);
                assertThat(q.query(List.of(filter().authors(ALICE).kinds(30023).build()), 100)).hasSize(1);
                assertThat(q.query(List.of(filter().search("relays").build()), 100)).hasSize(1);
                assertThat(q.query(List.of(filter().since(150).build()), 100)).hasSize(2);
                assertThat(q.count(List.of(filter().authors(ALICE).build()))).isEqualTo(3);
            }
            // Then every walk (author, tag, ids, kinds, author with kinds, time) ran on the pool that keeps
            // plans, with one plan each, and no search or count ever did
            Map<String, Long> generic = new HashMap<>();
            try (Connection a = two.reusablePlans().getConnection(); Connection b = two.reusablePlans().getConnection()) {
                for (Connection c : List.of(a, b)) {
                    try (Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT statement, generic_plans FROM pg_prepared_statements")) {
                        while (rs.next()) {
                            generic.merge(rs.getString(1), rs.getLong(2), Long::sum);
                        }
                    }
                }
            }
            assertThat(generic).hasSize(6).allSatisfy((sql, plans) -> assertThat(plans).as(sql).isGreaterThan(0));
            assertThat(generic.keySet()).anyMatch(sql -> sql.contains("WHERE pubkey = $") && !sql.contains("kind = $"))
                    .anyMatch(sql -> sql.contains("WHERE pubkey = $") && sql.contains("kind = 30023")) // an author's kinds as numbers
                    .anyMatch(sql -> sql.contains("WHERE kind = $"))
                    .anyMatch(sql -> sql.contains("WHERE t.tag = $"))
                    .anyMatch(sql -> sql.contains("id = ANY("))
                    .anyMatch(sql -> sql.contains("AND created_at >= $"))
                    .noneMatch(sql -> sql.contains("plainto_tsquery") || sql.contains("count("));
            try (Connection c = two.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SHOW plan_cache_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("force_custom_plan");
            }
        }
    }

    private static final class FilterBuilder {
        private Set<String> ids;
        private Set<String> authors;
        private Set<Integer> kinds;
        private final Map<Character, Set<String>> tags = new HashMap<>();
        private Long since;
        private Long until;
        private Integer limit;
        private String search;

        FilterBuilder ids(String... values) {
            ids = Set.of(values);
            return this;
        }

        FilterBuilder authors(String... values) {
            authors = Set.of(values);
            return this;
        }

        FilterBuilder kinds(Integer... values) {
            kinds = Set.of(values);
            return this;
        }

        FilterBuilder tag(char letter, String... values) {
            tags.put(letter, Set.of(values));
            return this;
        }

        FilterBuilder since(long value) {
            since = value;
            return this;
        }

        FilterBuilder until(long value) {
            until = value;
            return this;
        }

        FilterBuilder limit(int value) {
            limit = value;
            return this;
        }

        FilterBuilder search(String value) {
            search = value;
            return this;
        }

        Filter build() {
            return new Filter(ids, authors, kinds, tags, since, until, limit, search);
        }
    }
}
