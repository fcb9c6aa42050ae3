package io.nostrex.store;

import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Filter;
import io.nostrex.protocol.Hex;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SQL a filter becomes: its conditions, its bound parameters, and the filters that need none. */
class FilterSqlTest {
    private static final long NOW = 1_700_000_000L;
    private static final String EXPIRY = "(expires_at IS NULL OR expires_at > ?)";

    private static Filter filter(Set<String> ids, Set<String> authors, Set<Integer> kinds,
                                 Map<Character, Set<String>> tags, Long since, Long until, Integer limit) {
        return new Filter(ids, authors, kinds, tags, since, until, limit, null);
    }

    @Test
    void emptyFilterSelectsEverythingNotExpiredUpToTheMaxLimit() {
        FilterSql.Query q = FilterSql.select(List.of(Filter.any()), 500, NOW);
        assertThat(q.sql()).isEqualTo("SELECT id, json FROM ((SELECT id, created_at, json FROM events WHERE "
                + EXPIRY + " ORDER BY created_at DESC, id LIMIT ?)) AS matched ORDER BY created_at DESC, id");
        assertThat(q.params()).containsExactly(NOW, 500);
    }

    @Test
    void everyFieldBecomesOneBoundCondition() {
        Filter f = filter(Set.of(ALICE), Set.of(BOB), Set.of(7, 1), Map.of('t', Set.of("nostr"), 'e', Set.of("x")),
                10L, 20L, 5);
        FilterSql.Where where = FilterSql.where(f, NOW);
        assertThat(where.sql()).isEqualTo(EXPIRY + " AND id = ANY(?) AND pubkey = ANY(?) AND kind = ANY(?)"
                + " AND tags && ? AND tags && ? AND created_at >= ? AND created_at <= ?");
        assertThat(where.params()).containsExactly(NOW, new byte[][] {Hex.decode(ALICE)},
                new byte[][] {Hex.decode(BOB)}, new Integer[] {1, 7}, new String[] {"e:x"},
                new String[] {"t:nostr"}, 10L, 20L);
    }

    @Test
    void limitIsPerFilterAndCappedAtTheMaxLimit() {
        FilterSql.Query q = FilterSql.select(List.of(Filter.any().withLimit(10), Filter.any().withLimit(10_000)), 100, NOW);
        assertThat(q.sql()).contains(" UNION ALL ");
        assertThat(q.params()).containsExactly(NOW, 10, NOW, 100);
    }

    @Test
    void filtersThatCannotMatchProduceNoSql() {
        List<Filter> nothing = List.of(
                filter(Set.of(), null, null, Map.of(), null, null, null),
                filter(null, Set.of(), null, Map.of(), null, null, null),
                filter(null, null, Set.of(), Map.of(), null, null, null),
                filter(null, null, null, Map.of('e', Set.of()), null, null, null),
                filter(null, null, null, Map.of(), 20L, 10L, null),
                filter(Set.of("not-hex"), null, null, Map.of(), null, null, null));
        assertThat(FilterSql.select(nothing, 100, NOW)).isNull();
        assertThat(FilterSql.count(nothing, NOW, null, 100_000)).isNull();
    }

    @Test
    void limitZeroSelectsNothingButCountIgnoresIt() {
        assertThat(FilterSql.select(List.of(Filter.any().withLimit(0)), 100, NOW)).isNull();
        assertThat(FilterSql.count(List.of(Filter.any().withLimit(0)), NOW, null, 100_000)).isNotNull();
    }

    @Test
    void filtersThatCannotMatchAreSkippedAmongOthers() {
        FilterSql.Query q = FilterSql.select(List.of(filter(Set.of(), null, null, Map.of(), null, null, null),
                Filter.any()), 100, NOW);
        assertThat(q.sql()).doesNotContain("UNION");
    }

    @Test
    void invalidIdsAreDroppedValidOnesKept() {
        FilterSql.Where where = FilterSql.where(filter(Set.of("zz", ALICE), null, null, Map.of(), null, null, null), NOW);
        assertThat(where.params()).containsExactly(NOW, new byte[][] {Hex.decode(ALICE)});
    }

    @Test
    void sinceEqualToUntilIsOneSecondNotNothing() {
        assertThat(FilterSql.where(filter(null, null, null, Map.of(), 10L, 10L, null), NOW)).isNotNull();
    }

    @Test
    void countIgnoresLimitsReadsEachFilterUpToTheCapAndDeduplicatesWithUnion() {
        FilterSql.Query q = FilterSql.count(List.of(Filter.any().withLimit(1), Filter.any()), NOW, null, 100_000);
        assertThat(q.sql()).isEqualTo("SELECT count(*) FROM ((SELECT id, created_at FROM events WHERE " + EXPIRY
                + " LIMIT ?) UNION (SELECT id, created_at FROM events WHERE " + EXPIRY + " LIMIT ?)) AS matched");
        assertThat(q.params()).containsExactly(NOW, 100_001, NOW, 100_001);
    }

    @Test
    void searchDropsNip50ExtensionsAndBindsTheWords() {
        Filter f = new Filter(null, null, null, Map.of(), null, null, null, "hello world include:spam");
        FilterSql.Where where = FilterSql.where(f, NOW);
        assertThat(where.sql()).endsWith("search @@ plainto_tsquery('simple', ?)");
        assertThat(where.params()).containsExactly(NOW, "hello world");
        Filter onlyExtensions = new Filter(null, null, null, Map.of(), null, null, null, "language:en");
        assertThat(FilterSql.where(onlyExtensions, NOW).sql()).isEqualTo(EXPIRY);
    }

    @Test
    void valuesNeverAppearInTheSqlText() {
        Filter f = filter(null, null, null, Map.of('t', Set.of("'; DROP TABLE events; --")), null, null, null);
        FilterSql.Query q = FilterSql.select(List.of(f), 10, NOW);
        assertThat(q.sql()).doesNotContain("DROP");
    }

    @Test
    void everyWalkMayReuseAPlanButSearchesCatchUpsAndCountsArePlannedForTheirValues() {
        Filter author = filter(null, Set.of(ALICE, BOB), null, Map.of('t', Set.of("nostr")), 100L, null, 10);
        Filter authorAndKinds = filter(null, Set.of(ALICE), Set.of(0), Map.of(), null, null, 1);
        Filter tag = filter(null, null, null, Map.of('t', Set.of("nostr", "relay")), null, null, 10);
        Filter kind = filter(null, null, Set.of(1, 7), Map.of(), null, 500L, 10);
        Filter ids = filter(Set.of("11".repeat(32)), null, null, Map.of(), null, null, null);
        Filter search = new Filter(null, Set.of(ALICE), null, Map.of(), null, null, 10, "relays");
        Filter since = filter(null, null, null, Map.of(), 100L, null, 10);
        assertThat(FilterSql.select(List.of(author, tag, ids, kind, authorAndKinds, since, Filter.any()), 100, NOW)
                .reusablePlan()).isTrue();
        assertThat(FilterSql.select(List.of(author, search), 100, NOW).reusablePlan()).as("a search word").isFalse();
        assertThat(FilterSql.select(List.of(author), 100, NOW, 1_000L, null).reusablePlan()).as("catch-up").isFalse();
        assertThat(FilterSql.count(List.of(author), NOW, null, 100_000).reusablePlan()).isFalse();
    }

    @Test
    void eachFilterIsWalkedByItsMostSelectiveField() {
        Map<String, Filter> filters = Map.of(
                "IDS", filter(Set.of(ALICE), Set.of(BOB), Set.of(1), Map.of('t', Set.of("x")), null, null, null),
                "AUTHORS", filter(null, Set.of(BOB), null, Map.of('t', Set.of("x")), null, null, null),
                "AUTHORS_KINDS", filter(null, Set.of(BOB), Set.of(1), Map.of('t', Set.of("x")), null, null, null),
                "TAG", filter(null, null, null, Map.of('t', Set.of("x", "y"), 'e', Set.of("z")), null, null, null),
                "TAG_KINDS", filter(null, null, Set.of(7), Map.of('p', Set.of("x")), null, null, null),
                "KINDS", filter(null, null, Set.of(7), Map.of(), 1L, 2L, null),
                "TIME", filter(null, null, null, Map.of(), 1L, 2L, null));
        filters.forEach((driver, f) -> assertThat(FilterSql.walk(f).driver()).as(driver).hasToString(driver));
        assertThat(FilterSql.walk(filters.get("TAG")).letter()).as("the letter with the fewest values").isEqualTo('e');
    }

    @Test
    void aTagWalkMergesOneIndexScanPerValueAndKindAndChecksTheOtherConditionsOnEachEvent() {
        // Given a tag with one value and two kinds, another tag, a time range
        Filter f = filter(null, null, Set.of(7, 1), Map.of('t', Set.of("nostr"), 'p', Set.of("a", "b")), 10L, 20L, 5);

        // When
        FilterSql.Query q = FilterSql.select(List.of(f), 100, NOW);

        // Then one branch per kind, merged in order, each event looked up once with the other conditions
        String branch = "(SELECT t.event_created_at AS c, t.event_id AS i FROM event_tags t WHERE t.tag = ? AND t.kind = ?"
                + " AND t.event_created_at >= ? AND t.event_created_at <= ? ORDER BY t.event_created_at DESC, t.event_id)";
        assertThat(q.sql()).contains("(SELECT e.id, e.created_at, e.json FROM (" + branch + " UNION ALL " + branch + ") AS u"
                + " CROSS JOIN LATERAL (SELECT id, created_at, json FROM events WHERE id = u.i AND created_at = u.c AND "
                + EXPIRY + " AND tags && ? AND created_at >= ? AND created_at <= ? LIMIT 1) AS e ORDER BY u.c DESC, u.i LIMIT ?");
        assertThat(q.params()).containsExactly("t:nostr", 1, 10L, 20L, "t:nostr", 7, 10L, 20L,
                NOW, new String[] {"p:a", "p:b"}, 10L, 20L, 5);
    }

    @Test
    void manyAuthorsWithKindsWalkEachAuthorOneBranchPerKindWrittenAsItsNumber() {
        Set<String> authors = new java.util.TreeSet<>();
        for (int i = 0; i < FilterSql.MAX_MERGED; i++) {
            authors.add(String.format("%064x", i));
        }
        Filter f = filter(null, authors, Set.of(7, 1), Map.of(), null, null, 5);
        FilterSql.Query q = FilterSql.select(List.of(f), 100, NOW);
        String branch = "(SELECT id, created_at, json FROM events WHERE pubkey = a.v AND kind = %d AND " + EXPIRY
                + " ORDER BY created_at DESC, id LIMIT ?)";
        assertThat(q.sql()).isEqualTo("SELECT id, json FROM ((SELECT e.id, e.created_at, e.json FROM unnest(?) AS a(v)"
                + " CROSS JOIN LATERAL (" + String.format(branch, 1) + " UNION ALL " + String.format(branch, 7)
                + ") AS e ORDER BY created_at DESC, id LIMIT ?)) AS matched ORDER BY created_at DESC, id");
        assertThat(q.params()).hasSize(6).endsWith(5, NOW, 5, 5);
    }

    @Test
    void severalTagValuesDropRepeatsAndManyGoOneValueAtATime() {
        Set<String> sixteen = new java.util.TreeSet<>();
        for (int i = 0; i < FilterSql.MAX_MERGED + 1; i++) {
            sixteen.add("v" + i);
        }
        Filter two = filter(null, null, null, Map.of('t', Set.of("a", "b")), null, null, 5);
        Filter many = filter(null, null, null, Map.of('t', sixteen), null, null, 5);
        assertThat(FilterSql.select(List.of(two), 100, NOW).sql()).contains("SELECT DISTINCT ON (u.c, u.i) e.id")
                .doesNotContain("unnest");
        assertThat(FilterSql.select(List.of(many), 100, NOW).sql()).contains("unnest(?) AS d(v)")
                .contains("DISTINCT ON (m.created_at, m.id)");
    }

    @Test
    void authorsWithKindsMergeOneIndexScanPerPairUpToTheLimit() {
        Filter f = filter(null, Set.of(ALICE, BOB), Set.of(1), Map.of(), null, null, 3);
        FilterSql.Query q = FilterSql.select(List.of(f), 100, NOW);
        // the kind is written as its number, so that a plan made once for any author still sees how common it is
        String branch = "(SELECT id, created_at, json FROM events WHERE pubkey = ? AND kind = 1 AND " + EXPIRY
                + " ORDER BY created_at DESC, id)";
        assertThat(q.sql()).isEqualTo("SELECT id, json FROM ((SELECT id, created_at, json FROM (" + branch + " UNION ALL "
                + branch + ") AS u ORDER BY created_at DESC, id LIMIT ?)) AS matched ORDER BY created_at DESC, id");
        assertThat(q.params()).hasSize(5).endsWith(3);
    }
}
