package io.nostrex.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventVerifier;
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
        Corpus c = PublishCommand.sign(6, 2, List.of(1, 30023), 50, "run-x", List.of());
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
    void fanoutEventsCarryTheirIndexAndDueOffset() throws Exception {
        Corpus c = FanoutRun.sign(3, 4.0, "run-y");
        Event e = ((ClientMessage.EventMessage) MessageCodec.decodeClient(c.messages[2])).event();
        assertThat(e.content()).isEqualTo(FanoutRun.MARK + "2 500000000");
        assertThat(e.tagValues("t")).containsExactly("run-y");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"authors", "kinds", "#t", "#p", "ids"})
    void queryFiltersAreValidNip01WithTheLimit(String type) throws Exception {
        QueryPool pool = new QueryPool(List.of("a".repeat(64)), List.of(1, 7), List.of("topic \"quoted\""),
                List.of("b".repeat(64)), List.of("c".repeat(64), "d".repeat(64)));
        String json = pool.filter(type, 100, new Random(1));
        var filter = FilterParser.parse(Json.read(json));
        assertThat(filter.limit()).isEqualTo(100);
        assertThat(json).contains("\"" + type + "\"");
        assertThat(pool.types()).containsExactly("authors", "kinds", "#t", "#p", "ids");
    }

    @Test
    void aSampledPoolTakesItsValuesFromTheEvents() {
        var key = io.nostrex.protocol.EventSigner.random();
        Event e = key.sign(7, List.of(List.of("t", "nostr"), List.of("p", "e".repeat(64)), List.of("p", "not hex")), "");
        QueryPool pool = QueryPool.of(List.of(e));
        assertThat(pool.authors()).containsExactly(key.pubkey());
        assertThat(pool.kinds()).containsExactly(7);
        assertThat(pool.topics()).containsExactly("nostr");
        assertThat(pool.mentions()).containsExactly("e".repeat(64));
        assertThat(pool.ids()).containsExactly(e.id());
        assertThat(new QueryPool(List.of(), List.of(1), List.of(), List.of(), List.of()).types()).containsExactly("kinds");
    }
}
