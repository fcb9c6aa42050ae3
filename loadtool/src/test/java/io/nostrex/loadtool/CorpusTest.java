package io.nostrex.loadtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pre-signed events and the filters the modes send. */
class CorpusTest {

    @Test
    void publishEventsAreValidRoundRobinOverAuthorsAndKinds() throws Exception {
        Corpus c = PublishCommand.sign(6, 2, List.of(1, 30023), 50, "run-x", List.of(), 0);
        assertThat(c.size()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            Event e = ((ClientMessage.EventMessage) MessageCodec.decodeClient(c.messages[i])).event();
            assertThat(e.id()).isEqualTo(c.ids[i]);
            EventVerifier.best().verify(e); // throws when the id or signature is wrong
            assertThat(e.kind()).isEqualTo(i % 2 == 0 ? 1 : 30023);
            assertThat(e.tagValues("t")).containsExactly("run-x");
            assertThat(e.content()).hasSize(50).startsWith("nostrex bench " + i);
            assertThat(e.dTag()).isEqualTo(e.kind() == 30023 ? "bench-" + i : "");
        }
        assertThat(List.of(c.messages).stream().map(m -> m.substring(m.indexOf("pubkey"), m.indexOf("pubkey") + 80))
                .distinct()).hasSize(2);
    }

    @Test
    void aPublishHistoryIsSpreadEvenlyOverItsDaysOldestFirst() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        Corpus c = PublishCommand.sign(5, 2, List.of(1), 10, "run-h", List.of(), 400 * 86_400L);
        long[] createdAt = new long[5];
        for (int i = 0; i < 5; i++) {
            Event e = ((ClientMessage.EventMessage) MessageCodec.decodeClient(c.messages[i])).event();
            EventVerifier.best().verify(e);
            createdAt[i] = e.createdAt();
        }
        assertThat(createdAt[4]).isBetween(before, System.currentTimeMillis() / 1000);
        for (int i = 0; i < 4; i++) {
            assertThat(createdAt[i + 1] - createdAt[i]).isEqualTo(100 * 86_400L);
        }
    }

    @Test
    void fanoutEventsCarryTheirIndexAndDueOffset() throws Exception {
        Corpus c = FanoutRun.sign(3, 4.0, "run-y");
        Event e = ((ClientMessage.EventMessage) MessageCodec.decodeClient(c.messages[2])).event();
        assertThat(e.content()).isEqualTo(FanoutRun.MARK + "2 500000000");
        assertThat(e.tagValues("t")).containsExactly("run-y");
    }

    private static final QueryPool FULL = new QueryPool(List.of("a".repeat(64)), List.of(1, 7),
            List.of("topic \"quoted\"", "second", "third"), List.of("b".repeat(64)), List.of("c".repeat(64), "d".repeat(64)),
            "popular", 1_000_000, 2_000_000);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"authors", "authors+kinds", "kinds", "#t", "#t several", "#t+kinds", "#t popular", "#p", "ids",
            "window"})
    void everyShapeIsAValidNip01FilterWithTheLimit(String type) throws Exception {
        // When
        String json = FULL.filter(type, 100, new Random(1));
        Filter filter = FilterParser.parse(Json.read(json));

        // Then
        assertThat(filter.limit()).isEqualTo(100);
        assertThat(FULL.types()).contains(type);
        switch (type) {
            case "authors+kinds" -> assertThat(filter.authors()).hasSize(1).isNotNull();
            case "#t several" -> assertThat(filter.tags().get('t')).hasSize(QueryPool.SEVERAL);
            case "#t+kinds" -> assertThat(filter.kinds()).hasSize(1);
            case "#t popular" -> assertThat(filter.tags().get('t')).containsExactly("popular");
            case "window" -> assertThat(filter.until() - filter.since()).isEqualTo(QueryPool.WINDOW_SECONDS);
            default -> assertThat(json).contains("\"" + type + "\"");
        }
        if (type.equals("window")) {
            assertThat(filter.since()).isBetween(1_000_000L, 2_000_000L - QueryPool.WINDOW_SECONDS);
        }
    }

    @Test
    void aPoolOffersOnlyTheShapesItHasValuesFor() {
        assertThat(FULL.types()).isEqualTo(QueryPool.TYPES);
        assertThat(new QueryPool(List.of(), List.of(1), List.of(), List.of(), List.of(), null, 0, 0).types())
                .containsExactly("kinds");
        assertThat(new QueryPool(List.of(), List.of(), List.of("a", "b"), List.of(), List.of(), null, 5, 5).types())
                .containsExactly("#t");
    }

    @Test
    void aSampledPoolTakesItsValuesFromTheEventsAndThePopularTagFromTheirCounts() {
        // Given three events, two with #t nostr and one with #t rare
        var key = io.nostrex.protocol.EventSigner.random();
        Event e = key.sign(100, 7, List.of(List.of("t", "nostr"), List.of("p", "e".repeat(64)), List.of("p", "not hex")), "");
        Event f = key.sign(300, 1, List.of(List.of("t", "nostr"), List.of("t", "nostr")), "");
        Event g = key.sign(200, 1, List.of(List.of("t", "rare")), "");

        // When
        QueryPool pool = QueryPool.of(List.of(e, f, g, key.sign(250, 1, List.of(), ""), key.sign(260, 1, List.of(), ""),
                key.sign(270, 1, List.of(), ""), key.sign(280, 1, List.of(), ""), key.sign(290, 1, List.of(), ""),
                key.sign(295, 1, List.of(), ""), key.sign(299, 1, List.of(), "")));

        // Then
        assertThat(pool.authors()).containsExactly(key.pubkey());
        assertThat(pool.kinds()).containsExactly(7, 1);
        assertThat(pool.topics()).containsExactly("nostr", "rare");
        assertThat(pool.mentions()).containsExactly("e".repeat(64));
        assertThat(pool.ids()).hasSize(10).contains(e.id());
        assertThat(pool.popular()).as("on two of ten: a fifth").isEqualTo("nostr");
        assertThat(pool.oldest()).isEqualTo(100);
        assertThat(pool.newest()).isEqualTo(300);
        assertThat(QueryPool.of(List.of(g, key.sign(1, List.of(), ""), key.sign(1, List.of(), ""), key.sign(1, List.of(), ""),
                key.sign(1, List.of(), ""), key.sign(1, List.of(), ""))).popular()).as("on one of six").isNull();
    }

    @Test
    void aPreloadPutsThePopularTagOnItsShareOfTheEvents() throws Exception {
        List<io.nostrex.protocol.EventSigner> keys = Corpus.keys(3);
        Corpus half = QueryCommand.preloadCorpus(40, keys, 5, List.of(1), 0.5);
        Corpus none = QueryCommand.preloadCorpus(10, keys, 5, List.of(1), 0);
        assertThat(popularCount(half)).isEqualTo(20);
        assertThat(popularCount(none)).isZero();
        assertThat(QueryCommand.preloadPool(half, keys, 5, List.of(1), 0.5).popular()).isEqualTo(QueryCommand.POPULAR);
        assertThat(QueryCommand.preloadPool(none, keys, 5, List.of(1), 0).popular()).isNull();
    }

    private static long popularCount(Corpus corpus) throws Exception {
        long n = 0;
        for (String m : corpus.messages) {
            Event e = ((ClientMessage.EventMessage) MessageCodec.decodeClient(m)).event();
            n += e.tagValues("t").contains(QueryCommand.POPULAR) ? 1 : 0;
        }
        return n;
    }
}
