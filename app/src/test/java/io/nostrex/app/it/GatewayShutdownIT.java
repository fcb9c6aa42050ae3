package io.nostrex.app.it;

import static io.nostrex.app.it.RelayIT.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.gateway.Gateway;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A stopping gateway first answers the EVENTs it has taken: a rolling deploy loses no OK. */
class GatewayShutdownIT {
    @Test
    void theOksOfEventsInFlightAreSentBeforeTheGatewayStops() throws Exception {
        TestRelay relay = TestRelay.get();
        Settings own = Settings.from(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", "0")).withKafka(relay.settings.kafka())
                .withDatabase(relay.settings.databaseUrl(), relay.settings.databaseUser(), relay.settings.databasePassword());
        Gateway gateway = Relay.gateway(own, relay.relay.database(), relay.relay.ops(), relay.relay.policy());
        EventSigner alice = EventSigner.random();
        List<Event> sent = new ArrayList<>();
        try (WsClient c = new WsClient(gateway.port())) {
            c.challenge();
            // When 50 EVENTs are sent and the gateway is told to stop at once
            for (int i = 0; i < 50; i++) {
                Event e = alice.sign(System.currentTimeMillis() / 1000, 1, List.of(), "in flight " + i);
                sent.add(e);
                c.send(Nostr.event(e));
            }
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    gateway.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // Then every one of them gets OK true before the connection closes
            List<String> oks = new ArrayList<>();
            while (oks.size() < sent.size()) {
                String m = c.next(WAIT);
                if (m.startsWith("[\"OK\"")) {
                    oks.add(m);
                }
            }
            assertThat(oks).allMatch(m -> m.contains(",true,"));
            stopped.get();
        }
    }
}
