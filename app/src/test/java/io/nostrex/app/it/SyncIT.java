package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.app.SyncAccess;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.negentropy.NegItems;
import io.nostrex.protocol.negentropy.Negentropy;
import io.nostrex.store.EventQuery;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-77 on the gateway, and {@code nostrex sync} between two relays with overlapping histories. */
class SyncIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    static void publish(int port, List<Event> events) throws Exception {
        try (WsClient c = new WsClient(port)) {
            for (Event e : events) {
                assertThat(RelayIT.publish(c, e)).contains("\"" + e.id() + "\",true");
            }
        }
    }

    @Test
    void twoRelaysWithOverlappingHistoriesConvergeBothWays() throws Exception {
        EventSigner sam = EventSigner.random();
        List<Event> common = new ArrayList<>();
        List<Event> onlyHere = new ArrayList<>();
        List<Event> onlyThere = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 150; i++) {
            Event e = sam.sign(now - 1000 + i, 1, List.of(List.of("t", "sync")), "note " + i);
            (i < 90 ? common : i < 120 ? onlyHere : onlyThere).add(e);
        }
        Filter sams = FilterParser.parse(Json.read("{\"authors\":[\"" + sam.pubkey() + "\"]}"));
        try (OwnBroker broker = OwnBroker.start("sync_it")) {
            try (Relay other = Relay.all(broker.settings, io.nostrex.ops.Ops.create())) {
                int otherPort = other.gateways().get(0).port();
                List<Event> here = new ArrayList<>(common);
                here.addAll(onlyHere);
                List<Event> there = new ArrayList<>(common);
                there.addAll(onlyThere);
                publish(relay.gatewayA().port(), here);
                publish(otherPort, there);

                String summary = SyncAccess.sync(new EventQuery(relay.relay.database()), relay.settings.kafka(),
                        URI.create("ws://127.0.0.1:" + otherPort + "/"), sams, "both", System.err);

                assertThat(summary).isEqualTo("synced: 30 have, 30 need, 30 fetched, 30 sent");
                List<String> all = new EventQuery(relay.relay.database()).query(List.of(sams), 500);
                assertThat(all).hasSize(150);
                assertThat(new EventQuery(other.database()).query(List.of(sams), 500)).isEqualTo(all);
                // and a second sync finds nothing to do
                assertThat(SyncAccess.sync(new EventQuery(relay.relay.database()), relay.settings.kafka(),
                        URI.create("ws://127.0.0.1:" + otherPort + "/"), sams, "both", System.err))
                        .isEqualTo("synced: 0 have, 0 need, 0 fetched, 0 sent");
            }
        }
    }

    @Test
    void unknownSessionsAreClosedBadMessagesRefusedAndAnEmptyClientGetsTheIds() throws Exception {
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            String initial = io.nostrex.protocol.Hex.encode(new Negentropy(new NegItems.Builder().build(), 0).initiate());
            c.send("[\"NEG-MSG\",\"nope\",\"" + initial + "\"]");
            assertThat(c.until(m -> m.startsWith("[\"NEG-ERR\""), WAIT)).last().isEqualTo("[\"NEG-ERR\",\"nope\",\"closed: no such negentropy session\"]");
            c.send("[\"NEG-OPEN\",\"bad\",{},\"61ff\"]");
            assertThat(c.until(m -> m.startsWith("[\"NEG-ERR\""), WAIT)).last().asString().startsWith("[\"NEG-ERR\",\"bad\",\"invalid: ");
            // an empty set against a relay's events of one author: the relay sends their ids
            EventSigner una = EventSigner.random();
            Event e = una.sign(1, List.of(), "one");
            assertThat(RelayIT.publish(c, e)).contains("true");
            c.send(MessageCodec.encode(new ClientMessage.NegOpen("ok", FilterParser.parse(Json.read(
                    "{\"authors\":[\"" + una.pubkey() + "\"]}")), initial)));
            String answer = c.until(m -> m.startsWith("[\"NEG-MSG\",\"ok\""), WAIT).get(0);
            assertThat(answer).contains(e.id());
        }
    }

    @Test
    void aSessionOverTheCapIsRefusedWithTheCapAdvertised() throws Exception {
        Settings small = Settings.from(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", "0", "NOSTREX_NEGENTROPY_MAX_RECORDS", "2"))
                .withKafka(relay.settings.kafka())
                .withDatabase(relay.settings.databaseUrl(), relay.settings.databaseUser(), relay.settings.databasePassword());
        try (io.nostrex.gateway.Gateway gateway = Relay.gateway(small, relay.relay.database(), relay.relay.ops(), relay.relay.policy());
                WsClient c = new WsClient(gateway.port())) {
            EventSigner vic = EventSigner.random();
            for (int i = 0; i < 3; i++) {
                assertThat(RelayIT.publish(c, vic.sign(1, List.of(), "note " + i))).contains("true");
            }
            String initial = io.nostrex.protocol.Hex.encode(new Negentropy(new NegItems.Builder().build(), 0).initiate());
            c.send("[\"NEG-OPEN\",\"big\",{\"authors\":[\"" + vic.pubkey() + "\"]},\"" + initial + "\"]");
            assertThat(c.until(m -> m.startsWith("[\"NEG-ERR\""), WAIT)).last().asString()
                    .startsWith("[\"NEG-ERR\",\"big\",\"blocked: more than 2 events match this filter");
            java.net.http.HttpResponse<String> info = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                            .header("Accept", "application/nostr+json").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(Json.read(info.body()).path("limitation").path("max_negentropy_records").asInt()).isEqualTo(2);
        }
    }
}
