package io.nostrex.app.it;

import static io.nostrex.app.it.RelayIT.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.gateway.Gateway;
import io.nostrex.gateway.Warmup;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A starting gateway warms up through the whole relay (its own connections, the validator, the
 * matcher) before it is ready, and no client sees its events: not one on another gateway, not one
 * on the warming gateway itself, whatever their filters.
 */
class WarmupIT {
    private static final String KIND_FILTER = "{\"kinds\":[" + Warmup.KIND + "]}";

    @Test
    void aStartingGatewayWarmsUpThroughTheRelayAndNoClientGetsItsEvents() throws Exception {
        TestRelay relay = TestRelay.get();
        // Given a client of a running gateway that asks for everything, and for the warm-up's kind
        try (WsClient other = new WsClient(relay.gatewayA().port())) {
            other.send(Nostr.req("all", "{\"limit\":0}"));
            other.send(Nostr.req("kind", KIND_FILTER));
            List<String> seenByOther = new ArrayList<>(other.until(m -> m.equals("[\"EOSE\",\"kind\"]"), WAIT));

            // When a gateway starts with a warm-up of 2 s, and a client asks it at once for that kind
            Gateway warming = Relay.gateway(settings(relay, 2), relay.relay.database(), relay.relay.ops(),
                    relay.relay.policy());
            try (WsClient own = new WsClient(warming.port())) {
                own.send(Nostr.req("kind", KIND_FILTER));
                own.until(m -> m.equals("[\"EOSE\",\"kind\"]"), WAIT);
                Warmup.Report report = warming.warmedUp().get(60, TimeUnit.SECONDS);

                // Then its events went through the validator and the matcher to each of its connections
                // (the events of its 2 s, and before them one every 20 ms until each connection had one)
                assertThat(report.outOfTime()).isFalse(); // every message answered, every event OK'd and delivered
                assertThat(report.sent()).isGreaterThan(2L * Warmup.EVENTS_PER_SECOND);
                assertThat(report.accepted()).isEqualTo(report.sent());
                assertThat(report.delivered()).isGreaterThanOrEqualTo(2L * Warmup.EVENTS_PER_SECOND * Warmup.SUBSCRIBERS)
                        .isLessThanOrEqualTo(report.accepted() * Warmup.SUBSCRIBERS);
                assertThat(report.answers()).isGreaterThanOrEqualTo(16L * Warmup.SUBSCRIBERS); // 16 messages each, each answered
                assertThat(get(warming.port(), "/ready")).contains("warm-up").contains("warmed up");

                // And no client got one of them: the event of that kind that a client sends afterwards
                // is the first the warming gateway's client gets, and the other client got no warm-up tag
                Event mine = EventSigner.random().sign(Warmup.KIND, List.of(), "a client's ephemeral event");
                try (WsClient publisher = new WsClient(relay.gatewayA().port())) {
                    publisher.send(Nostr.event(mine));
                    publisher.until(m -> m.startsWith("[\"OK\",\"" + mine.id() + "\",true"), WAIT);
                }
                seenByOther.addAll(other.until(m -> m.contains(mine.id()), WAIT));
                seenByOther.addAll(other.drain(Duration.ofMillis(500)));
                List<String> seenByOwn = new ArrayList<>(own.until(m -> m.contains(mine.id()), WAIT));
                seenByOwn.addAll(own.drain(Duration.ofMillis(500)));
                assertThat(seenByOther).filteredOn(m -> m.contains(mine.id())).hasSize(2); // "all" and "kind"
                assertThat(seenByOther).noneMatch(m -> m.contains("[\"t\",\"warmup-"));
                assertThat(seenByOwn).filteredOn(m -> m.startsWith("[\"EVENT\"")).hasSize(1)
                        .allMatch(m -> m.contains(mine.id()));
            } finally {
                warming.close();
            }
        }
    }

    private static Settings settings(TestRelay relay, int warmupSeconds) {
        return Settings.from(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", Integer.toString(warmupSeconds)))
                .withKafka(relay.settings.kafka())
                .withDatabase(relay.settings.databaseUrl(), relay.settings.databaseUser(),
                        relay.settings.databasePassword());
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
