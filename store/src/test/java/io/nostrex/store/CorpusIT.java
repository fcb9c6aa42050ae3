package io.nostrex.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.TestCorpus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 2,348 real events: stored in batches, stored again (all duplicates, nothing changes), and every
 * query compared with the same filter evaluated in memory ({@link Filter#matches}) over the events a
 * relay must keep (the newest version of each address, nothing expired).
 */
class CorpusIT {
    private static final long NOW = 1_750_000_000L;
    private static final int BATCH = 500;
    private static Database db;
    private static EventStore store;
    private static EventQuery query;
    private static List<Event> kept;

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        store = new EventStore(db.dataSource());
        query = new EventQuery(db.dataSource(), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        kept = keptInMemory(TestCorpus.events());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** The newest version per address (ties: lowest id) and every regular event; the corpus deletes none of its own. */
    private static List<Event> keptInMemory(List<Event> events) {
        Map<String, Event> newest = new HashMap<>();
        List<Event> result = new ArrayList<>();
        for (Event e : events) {
            if (e.address() == null) {
                result.add(e);
            } else {
                newest.merge(e.address(), e, (a, b) -> Filter.NEWEST_FIRST.compare(a, b) <= 0 ? a : b);
            }
        }
        result.addAll(newest.values());
        return result;
    }

    @Test
    void storedTwiceSecondTimeAllDuplicatesAndNothingChanges() {
        List<Event> corpus = TestCorpus.events();
        assertThat(corpus).hasSize(TestCorpus.SIZE);
        Map<StoreOutcome, Integer> first = new EnumMap<>(StoreOutcome.class);
        for (int i = 0; i < corpus.size(); i += BATCH) {
            store.store(corpus.subList(i, Math.min(i + BATCH, corpus.size())))
                    .forEach(o -> first.merge(o, 1, Integer::sum));
        }
        assertThat(first.getOrDefault(StoreOutcome.DELETED, 0)).isZero();
        assertThat(first.getOrDefault(StoreOutcome.EPHEMERAL, 0)).isZero();
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM event_ids")).isEqualTo(TestCorpus.SIZE);
        assertThat(TestDatabase.count(db, "SELECT count(*) FROM events")).isEqualTo(kept.size());
        String before = TestDatabase.rowCounts(db);

        assertThat(store.store(corpus)).hasSize(TestCorpus.SIZE).containsOnly(StoreOutcome.DUPLICATE);
        assertThat(TestDatabase.rowCounts(db)).isEqualTo(before);

        for (Filter f : sampleFilters(corpus)) {
            assertThat(query.query(List.of(f), 5000)).as("%s", f).containsExactlyElementsOf(inMemory(f));
            assertThat(query.count(List.of(f))).as("count %s", f).isEqualTo(inMemory(f.withLimit(null)).size());
        }
    }

    @Test
    void aSearchFindsInTheStoreExactlyWhatTheMatcherFindsLive() {
        // Given the corpus stored (idempotent: the other test may have stored it already)
        store.store(TestCorpus.events());
        // When searches for words of real contents (one word, two words, in capitals, with an
        // extension, with punctuation around) run in PostgreSQL and through Filter.matches
        List<String> searches = new ArrayList<>();
        List<Event> corpus = TestCorpus.events();
        for (int i = 0; i < corpus.size(); i += 37) {
            List<String> words = io.nostrex.protocol.SearchWords.ofEvent(corpus.get(i));
            if (words.size() >= 2) {
                searches.add(words.get(0));
                searches.add(words.get(words.size() - 1).toUpperCase(java.util.Locale.ROOT) + " include:spam");
                searches.add("\"" + words.get(0) + ", " + words.get(1) + "!\"");
            }
        }
        assertThat(searches).hasSizeGreaterThan(60);
        int found = 0;
        for (String search : searches) {
            Filter f = new Filter(null, null, null, Map.of(), null, null, null, search);
            List<String> expected = inMemory(f);
            // Then both find the same events (the store orders them by relevance), and COUNT agrees
            assertThat(query.query(List.of(f), 5000)).as("search %s", search).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(query.count(List.of(f))).as("count of search %s", search).isEqualTo(expected.size());
            found += expected.size();
        }
        assertThat(found).as("events found by all the searches").isGreaterThan(searches.size());
    }

    private static List<String> inMemory(Filter f) {
        int limit = f.limit() == null ? Integer.MAX_VALUE : f.limit();
        return kept.stream().filter(e -> f.matches(e) && !e.isExpiredAt(NOW)).sorted(Filter.NEWEST_FIRST)
                .limit(limit).map(EventJson::write).toList();
    }

    /** Filters drawn from every 40th event: its id, author, kind, tags and time, alone and combined. */
    private static List<Filter> sampleFilters(List<Event> corpus) {
        List<Filter> filters = new ArrayList<>(List.of(Filter.any(), Filter.any().withLimit(25)));
        for (int i = 0; i < corpus.size(); i += 40) {
            Event e = corpus.get(i);
            filters.add(new Filter(Set.of(e.id()), null, null, Map.of(), null, null, null, null));
            filters.add(new Filter(null, Set.of(e.pubkey()), null, Map.of(), null, null, null, null));
            filters.add(new Filter(null, Set.of(e.pubkey()), Set.of(e.kind()), Map.of(), null, null, 3, null));
            filters.add(new Filter(null, null, Set.of(e.kind()), Map.of(), e.createdAt() - 86_400, e.createdAt(), 50, null));
            for (List<String> tag : e.tags().subList(0, Math.min(3, e.tags().size()))) {
                if (tag.size() >= 2 && tag.get(0).length() == 1) {
                    filters.add(new Filter(null, null, null, Map.of(tag.get(0).charAt(0), Set.of(tag.get(1))),
                            null, null, null, null));
                }
            }
        }
        return filters;
    }
}
