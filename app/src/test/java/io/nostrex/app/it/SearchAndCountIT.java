package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.delivered;
import static io.nostrex.app.it.Nostr.isEose;
import static io.nostrex.app.it.Nostr.req;
import static io.nostrex.app.it.RelayIT.WAIT;
import static io.nostrex.app.it.RelayIT.publish;
import static io.nostrex.app.it.RelayIT.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.CountHll;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-50 search and NIP-45 counts end to end, across the shared relay's two gateways, history and live. */
class SearchAndCountIT {
    private static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    @Test
    void aSearchFindsTheMostRelevantFirstAndMatchesLiveEventsByTheSameWords() throws Exception {
        String word = "zq" + Long.toString(System.nanoTime(), 36);
        EventSigner alice = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        Event once = alice.sign(now - 3, 1, List.of(), "One " + word + " here.");
        Event thrice = alice.sign(now - 30, 1, List.of(), word + ", " + word.toUpperCase() + " and " + word + "!");
        Event unrelated = alice.sign(now - 2, 1, List.of(), "nothing to see, " + word + "x");
        try (WsClient a = new WsClient(relay.gatewayA().port()); WsClient b = new WsClient(relay.gatewayB().port())) {
            for (Event e : List.of(once, thrice, unrelated)) {
                publish(a, e);
            }
            String search = "{\"search\":\"" + word + " include:spam\"}";
            assertThat(query(b, "s", search)).containsExactly(delivered("s", thrice), delivered("s", once));

            b.send(req("live", search));
            b.until(m -> isEose(m, "live"), WAIT);
            Event miss = alice.sign(now - 1, 1, List.of(), "still nothing, " + word + "y");
            Event hit = alice.sign(now, 1, List.of(), "Live: " + word.toUpperCase() + ".");
            publish(a, miss);
            publish(a, hit);
            // the same author's events reach the gateway in order: a matched miss would come first
            assertThat(b.until(m -> m.equals(delivered("live", hit)), WAIT)).containsExactly(delivered("live", hit));
        }
    }

    @Test
    void reactionsAreCountedWithTheHyperLogLogOfTheirAuthors() throws Exception {
        EventSigner author = EventSigner.random();
        Event note = author.sign(System.currentTimeMillis() / 1000 - 10, 1, List.of(), "react to me");
        List<EventSigner> reactors = new ArrayList<>();
        try (WsClient a = new WsClient(relay.gatewayA().port()); WsClient b = new WsClient(relay.gatewayB().port())) {
            publish(a, note);
            for (int i = 0; i < 5; i++) {
                reactors.add(EventSigner.random());
                publish(a, reactors.get(i).sign(System.currentTimeMillis() / 1000, 7,
                        List.of(List.of("e", note.id()), List.of("p", author.pubkey())), "+"));
            }
            b.send("[\"COUNT\",\"r\",{\"#e\":[\"" + note.id() + "\"],\"kinds\":[7]}]");
            JsonNode answer = Json.read(b.next(WAIT)).get(2);

            CountHll expected = new CountHll(CountHll.offset(note.id()));
            reactors.forEach(r -> expected.add(Hex.decode(r.pubkey())));
            assertThat(answer.path("count").asLong()).isEqualTo(5);
            assertThat(answer.has("approximate")).isFalse();
            assertThat(answer.path("hll").asText()).isEqualTo(expected.hex());

            b.send("[\"COUNT\",\"n\",{\"authors\":[\"" + author.pubkey() + "\"]}]");
            assertThat(b.next(WAIT)).isEqualTo("[\"COUNT\",\"n\",{\"count\":1}]");
        }
    }
}
