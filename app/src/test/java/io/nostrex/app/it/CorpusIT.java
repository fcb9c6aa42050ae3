package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.gateway.Gateway;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.TestCorpus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The 2,348 real events through the whole relay, then a reader too slow for what it asked. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorpusIT {
    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    @Test
    @Order(1)
    void everyRealEventGetsExactlyOneOkWithANip01Reason() throws Exception {
        List<String> lines = TestCorpus.lines();
        Map<String, String> oks = new HashMap<>();
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            // pipelined, at most 500 waiting for their OK (a connection may have 1,000: NOSTREX_MAX_PENDING_OKS)
            int sent = 0;
            while (oks.size() < lines.size()) {
                while (sent < lines.size() && sent - oks.size() < 500) {
                    c.send("[\"EVENT\"," + lines.get(sent++) + "]");
                }
                String m = c.next(Duration.ofSeconds(60));
                assertThat(m).startsWith("[\"OK\",\"");
                assertThat(oks.put(m.substring(7, 71), m)).as("one OK per event").isNull();
            }
            assertThat(c.drain(Duration.ofMillis(500))).isEmpty();
        }
        List<String> accepted = new ArrayList<>();
        for (String m : oks.values()) {
            assertThat(m).matches("\\[\"OK\",\"[0-9a-f]{64}\",(true,\"(|duplicate: .*)\"|false,\"(invalid|blocked): .+\")]");
            if (m.contains(",true,\"")) { // stored now, or before (ImportIT may have imported the corpus)
                accepted.add(m.substring(7, 71));
            }
        }
        assertThat(accepted).hasSizeGreaterThan(2_000);
        Event sample = EventParser.parse(lines.stream().filter(l -> l.contains(accepted.get(0))).findFirst().orElseThrow());
        try (WsClient b = new WsClient(relay.gatewayB().port())) {
            assertThat(RelayIT.query(b, "one", "{\"ids\":[\"" + sample.id() + "\"]}")).hasSize(1);
        }
    }

    @Test
    @Order(2)
    void aReaderThatDoesNotKeepUpIsDisconnectedAndOthersCarryOn() throws Exception {
        Settings small = Settings.from(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", "0", "NOSTREX_MAX_OUTBOUND_BYTES", "65536"))
                .withKafka(relay.settings.kafka())
                .withDatabase(relay.settings.databaseUrl(), relay.settings.databaseUser(), relay.settings.databasePassword());
        Gateway gateway = Relay.gateway(small, relay.relay.database(), relay.relay.ops(), relay.relay.policy());
        try (RawSocketClient slow = new RawSocketClient(gateway.port()); WsClient other = new WsClient(gateway.port())) {
            for (int i = 0; i < 40; i++) {
                slow.sendText("[\"REQ\",\"flood" + i + "\",{\"limit\":500}]");
            }
            long deadline = System.nanoTime() + RelayIT.WAIT.toNanos();
            while (gateway.connectionCount() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(gateway.connectionCount()).as("the slow reader was dropped").isEqualTo(1);
            assertThat(slow.drainUntilClosed(20_000)).isTrue();
            other.send("[\"REQ\",\"fine\",{\"limit\":1}]");
            assertThat(other.until(m -> m.equals("[\"EOSE\",\"fine\"]"), RelayIT.WAIT)).hasSize(2);
        } finally {
            gateway.close();
        }
    }
}
