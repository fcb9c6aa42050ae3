package io.nostrex.store;

import static io.nostrex.store.StoreOutcome.DELETED;
import static io.nostrex.store.StoreOutcome.DUPLICATE;
import static io.nostrex.store.StoreOutcome.EPHEMERAL;
import static io.nostrex.store.StoreOutcome.REPLACED_BY_NEWER;
import static io.nostrex.store.StoreOutcome.STORED;
import static io.nostrex.store.TestEvents.BOB;
import static io.nostrex.store.TestEvents.event;
import static io.nostrex.store.TestEvents.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer against a real PostgreSQL: outcomes, replaceable and addressable rules, idempotency, partitions. */
class EventStoreIT {
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

    private static List<StoreOutcome> store(Event... events) {
        return store.store(List.of(events));
    }

    /** The JSON of every stored event, newest first. */
    private static List<String> stored() {
        return query.query(List.of(Filter.any()), 10_000);
    }

    private static List<String> json(Event... events) {
        return Arrays.stream(events).map(EventJson::write).toList();
    }

    @Test
    void valuesWithCopyDelimitersAndArrayQuotingAreStoredAndFoundExactly() {
        // the writer COPYs rows in PostgreSQL's text format: tab, newline, CR and backslash are its
        // delimiters and escapes; quotes, commas and braces delimit array elements; \N means null
        String[] awkward = {"a\tb", "tab\there", "new\nline\r", "back\\slash \\N", "\"quoted\", {braced}", "NULL", ""};
        List<Event> events = new ArrayList<>();
        for (String value : awkward) {
            events.add(event().tag("t", value).tag("x", value + "!").content(value + " \\. end").build());
        }
        assertThat(store.store(events)).containsOnly(STORED);
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(events.stream().map(EventJson::write).toList());
        for (int i = 0; i < awkward.length; i++) {
            Filter byTag = new Filter(null, null, null, Map.of('t', Set.of(awkward[i])), null, null, null, null);
            assertThat(query.query(List.of(byTag), 10)).as(awkward[i]).containsExactly(EventJson.write(events.get(i)));
        }
        Filter search = new Filter(null, null, null, null, null, null, null, "braced");
        assertThat(query.query(List.of(search), 10)).containsExactly(EventJson.write(events.get(4)));
    }

    @Test
    void newEventIsStoredAndServedAsItsJson() {
        Event e = event().tag("t", "nostr").content("héllo \"world\"\n\u0001").build();
        assertThat(store(e)).containsExactly(STORED);
        assertThat(stored()).containsExactly(EventJson.write(e));
        assertThat(query.exists(e.id())).isTrue();
        assertThat(STORED.accepted()).isTrue();
        assertThat(STORED.message()).isEmpty();
    }

    @Test
    void theJsonAnEventCameWithIsStoredAsItCame() {
        Event given = event().tag("t", "as-it-came").content("from the log").build();
        Event other = event().content("written here").build();
        String asItCame = EventJson.write(given).replace(",\"kind\":", ", \"kind\": "); // not how EventJson writes it
        assertThat(store.store(List.of(given, other), java.util.Set.of(), java.util.Map.of(given, asItCame)))
                .containsExactly(STORED, STORED);
        assertThat(stored()).containsExactlyInAnyOrder(asItCame, EventJson.write(other));
    }

    @Test
    void sameEventTwiceIsDuplicateAndChangesNothing() {
        Event e = event().build();
        store(e);
        String before = TestDatabase.rowCounts(db);
        assertThat(store(e)).containsExactly(DUPLICATE);
        assertThat(TestDatabase.rowCounts(db)).isEqualTo(before);
        assertThat(DUPLICATE.message()).startsWith("duplicate: ");
    }

    @Test
    void emptyBatchDoesNothing() {
        assertThat(store.store(List.of())).isEmpty();
    }

    @Test
    void ephemeralIsNeverStored() {
        Event e = event().kind(20000).build();
        assertThat(store(e)).containsExactly(EPHEMERAL);
        assertThat(stored()).isEmpty();
        assertThat(query.exists(e.id())).isFalse();
    }

    @Test
    void replaceableKeepsOnlyTheLatestPerPubkeyAndKind() {
        Event v1 = event().kind(0).at(100).build();
        Event v2 = event().kind(0).at(200).build();
        Event otherKind = event().kind(3).at(60).build();
        Event otherAuthor = event().by(BOB).kind(0).at(50).build();
        assertThat(store(v1, otherKind, otherAuthor)).containsExactly(STORED, STORED, STORED);
        assertThat(store(v2)).containsExactly(STORED);
        assertThat(stored()).containsExactly(json(v2, otherKind, otherAuthor).toArray(String[]::new));
    }

    @Test
    void olderReplaceableArrivingLaterIsRefused() {
        Event newer = event().kind(10002).at(200).build();
        Event older = event().kind(10002).at(100).build();
        store(newer);
        assertThat(store(older)).containsExactly(REPLACED_BY_NEWER);
        assertThat(REPLACED_BY_NEWER.accepted()).isTrue();
        assertThat(REPLACED_BY_NEWER.message()).startsWith("duplicate: ");
        assertThat(stored()).containsExactly(EventJson.write(newer));
        assertThat(store(older)).containsExactly(DUPLICATE);
    }

    @Test
    void replaceableTieKeepsTheLowestIdInEitherArrivalOrder() {
        Event low = event().kind(0).id(id(1)).at(100).build();
        Event high = event().kind(0).id(id(2)).at(100).build();
        assertThat(store(high)).containsExactly(STORED);
        assertThat(store(low)).containsExactly(STORED);
        assertThat(stored()).containsExactly(EventJson.write(low));
        TestDatabase.truncate(db);
        assertThat(store(low, high)).containsExactly(STORED, REPLACED_BY_NEWER);
        assertThat(stored()).containsExactly(EventJson.write(low));
    }

    @Test
    void addressableKeepsTheLatestPerDTag() {
        Event a1 = event().kind(30023).tag("d", "a").at(100).build();
        Event a2 = event().kind(30023).tag("d", "a").at(300).build();
        Event b = event().kind(30023).tag("d", "b").at(200).build();
        Event noD = event().kind(30023).at(50).build();
        Event emptyD = event().kind(30023).tag("d", "").at(60).build();
        assertThat(store(a2, b, noD)).containsExactly(STORED, STORED, STORED);
        assertThat(store(a1, emptyD)).containsExactly(REPLACED_BY_NEWER, STORED);
        assertThat(stored()).containsExactly(json(a2, b, emptyD).toArray(String[]::new));
    }

    @Test
    void anyCreatedAtInsertsThroughTheDefaultPartition() {
        long year1990 = LocalDate.of(1990, 6, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        Event zero = event().at(0).build();
        Event far = event().at(9_999_999_999L).build();
        Event old = event().at(year1990).build();
        assertThat(store(zero, far, old)).containsExactly(STORED, STORED, STORED);
        assertThat(stored()).containsExactly(json(far, old, zero).toArray(String[]::new));
    }

    @Test
    void unusualContentAndTagsAreStoredExactly() {
        Event e = event().content("nul \0 emoji \uD83D\uDE00 backslash \\").tag("t", "a\0b")
                .tag("r", "x".repeat(5000)).tag("d").tag().build();
        assertThat(store(e)).containsExactly(STORED);
        assertThat(stored()).containsExactly(EventJson.write(e));
        assertThat(query.query(List.of(tag('t', "a\0b")), 10)).hasSize(1);
        assertThat(query.query(List.of(tag('r', "x".repeat(5000))), 10)).hasSize(1);
    }

    @Test
    void replayingTheSameBatchChangesNothing() {
        Event target = event().build();
        List<Event> log = List.of(target, event().kind(0).at(2).build(), event().kind(0).at(1).build(),
                event().kind(5).tag("e", target.id()).build(), event().kind(30000).tag("d", "z").build());
        store.store(log);
        String before = TestDatabase.rowCounts(db);
        List<String> served = stored();
        assertThat(store.store(log)).containsExactly(DELETED, DUPLICATE, DUPLICATE, DUPLICATE, DUPLICATE);
        assertThat(TestDatabase.rowCounts(db)).isEqualTo(before);
        assertThat(stored()).isEqualTo(served);
    }

    @Test
    void concurrentWritersTakeTurnsAndStoreEachEventOnce() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(event().kind(i % 3 == 0 ? 0 : 1).at(1000 + i).build());
        }
        Map<String, Integer> timesStored = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                List<Event> shuffled = new ArrayList<>(events);
                Collections.shuffle(shuffled, new Random(t));
                runs.add(writers.submit(() -> countStored(shuffled, store.store(shuffled), timesStored)));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            writers.shutdown();
        }
        assertThat(timesStored.values()).containsOnly(1);
        assertThat(query.query(List.of(kinds(0)), 100)).containsExactly(EventJson.write(events.get(57)));
        assertThat(query.query(List.of(kinds(1)), 100)).hasSize(40);
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM event_ids")).isEqualTo(60);
    }

    private static void countStored(List<Event> batch, List<StoreOutcome> outcomes, Map<String, Integer> times) {
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) == STORED) {
                times.merge(batch.get(i).id(), 1, Integer::sum);
            }
        }
    }

    @Test
    void purgeDeletesExpiredEventsWhoseIdsStayKnown() {
        Event expired = event().tag("expiration", "100").build();
        Event live = event().tag("expiration", "9999999999").build();
        store(expired, live, event().build());
        assertThat(store.purgeExpired(Clock.systemUTC())).isEqualTo(1);
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM events")).isEqualTo(2);
        assertThat(store(expired)).containsExactly(DUPLICATE);
    }

    private static Filter kinds(int kind) {
        return new Filter(null, null, Set.of(kind), Map.of(), null, null, null, null);
    }

    private static Filter tag(char letter, String value) {
        return new Filter(null, null, null, Map.of(letter, Set.of(value)), null, null, null, null);
    }
}
