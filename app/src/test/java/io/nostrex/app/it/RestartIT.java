package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.delivered;
import static io.nostrex.app.it.Nostr.event;
import static io.nostrex.app.it.Nostr.isEose;
import static io.nostrex.app.it.Nostr.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restarting the validator, the archiver and the matcher loses no event that got OK true. */
class RestartIT {
    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    static List<Event> sign(EventSigner who, int n, String label) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(who.sign(1, List.of(), label + " " + i));
        }
        return out;
    }

    @Test
    void eventsAcceptedAcrossRoleRestartsAreAllStoredAndDelivered() throws Exception {
        EventSigner jo = EventSigner.random();
        List<Event> before = sign(jo, 20, "before");
        List<Event> whileArchiverDown = sign(jo, 10, "archiver down");
        List<Event> after = sign(jo, 10, "after");
        try (WsClient pub = new WsClient(relay.gatewayA().port()); WsClient sub = new WsClient(relay.gatewayB().port())) {
            sub.send(req("all", "{\"authors\":[\"" + jo.pubkey() + "\"]}"));
            sub.until(m -> isEose(m, "all"), RelayIT.WAIT);
            for (Event e : before) {
                assertThat(RelayIT.publish(pub, e)).isEqualTo(Nostr.ok(e, true, ""));
            }

            relay.relay.restartValidator();
            relay.relay.restartMatcher();
            relay.relay.stopArchiver();
            for (Event e : whileArchiverDown) {
                pub.send(event(e));
            }
            assertThat(pub.drain(Duration.ofSeconds(2))).as("no OK while nothing is durable in PostgreSQL").isEmpty();
            relay.relay.startArchiver();
            List<String> oks = new ArrayList<>();
            while (oks.size() < whileArchiverDown.size()) {
                oks.add(pub.next(RelayIT.WAIT));
            }
            assertThat(oks).containsExactlyInAnyOrder(
                    whileArchiverDown.stream().map(e -> Nostr.ok(e, true, "")).toArray(String[]::new));
            for (Event e : after) {
                assertThat(RelayIT.publish(pub, e)).isEqualTo(Nostr.ok(e, true, ""));
            }

            List<Event> all = new ArrayList<>(before);
            all.addAll(whileArchiverDown);
            all.addAll(after);
            List<String> live = new ArrayList<>();
            long deadline = System.nanoTime() + RelayIT.WAIT.toNanos();
            while (live.size() < all.size() && System.nanoTime() < deadline) {
                live.addAll(sub.drain(Duration.ofMillis(200)));
            }
            assertThat(live).as("the subscription survives the matcher restart, each event once")
                    .containsExactlyInAnyOrder(all.stream().map(e -> delivered("all", e)).toArray(String[]::new));
            List<String> stored = RelayIT.query(pub, "q", "{\"authors\":[\"" + jo.pubkey() + "\"],\"limit\":100}");
            assertThat(stored).hasSize(all.size());
        }
    }
}
