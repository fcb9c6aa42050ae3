package io.nostrex.app.it;

import static io.nostrex.app.it.RelayIT.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.gateway.Gateway;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Event;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connection hygiene and per-address limits on a gateway of the shared relay with small limits:
 * the per-address and per-gateway caps, messages per second, and the idle close. Addresses come
 * from a trusted header (NOSTREX_CLIENT_IP_HEADER), as behind a proxy, so one test host can be many
 * clients.
 */
class ConnectionLimitsIT {
    private static final String HEADER = "X-Test-Client";
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        TestRelay relay = TestRelay.get();
        Map<String, String> env = new HashMap<>(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", "0", "NOSTREX_MAX_CONNECTIONS", "5",
                "NOSTREX_MAX_CONNECTIONS_PER_IP", "6", "NOSTREX_GATEWAYS", "2", "NOSTREX_MAX_MESSAGES_PER_IP", "10",
                "NOSTREX_IDLE_TIMEOUT_SECONDS", "2", "NOSTREX_CLIENT_IP_HEADER", HEADER));
        Settings small = Settings.from(env).withKafka(relay.settings.kafka())
                .withDatabase(relay.settings.databaseUrl(), relay.settings.databaseUser(), relay.settings.databasePassword());
        gateway = Relay.gateway(small, relay.relay.database(), relay.relay.ops(), relay.relay.policy());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static WsClient from(String address) {
        return new WsClient(gateway.port(), Map.of(HEADER, "10.0.0.9, " + address));
    }

    private static int refusedWith(String address) {
        try (WsClient c = from(address)) {
            return 101;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    @Test
    void anAddressGetsItsShareOfConnectionsAndTheGatewayItsCap() throws Exception {
        List<WsClient> open = new ArrayList<>();
        try {
            // 6 per address over 2 gateways: 3 here
            for (int i = 0; i < 3; i++) {
                open.add(from("192.0.2.1"));
            }
            assertThat(refusedWith("192.0.2.1")).isEqualTo(429);
            open.add(from("192.0.2.2"));
            open.add(from("192.0.2.3"));
            assertThat(refusedWith("192.0.2.4")).as("5 connections: the gateway is full").isEqualTo(503);
        } finally {
            open.forEach(WsClient::close);
        }
        Thread.sleep(300);
        try (WsClient again = from("192.0.2.1")) {
            assertThat(again.challenge()).hasSize(32);
        }
    }

    @Test
    void messagesPastTheAddressesShareAreAnsweredRateLimitedNeverDropped() throws Exception {
        EventSigner alice = EventSigner.random();
        try (WsClient c = from("198.51.100.7")) {
            int sent = 40;
            for (int i = 0; i < sent; i++) {
                if (i % 2 == 0) {
                    c.send(Nostr.req("s" + i, "{\"ids\":[\"" + "0".repeat(64) + "\"]}"));
                } else {
                    Event e = alice.sign(System.currentTimeMillis() / 1000, 1, List.of(), "n" + i);
                    c.send(Nostr.event(e));
                }
            }
            // every message gets its answer: EOSE or CLOSED for a REQ, OK for an EVENT
            List<String> answers = new ArrayList<>();
            while (answers.size() < sent) {
                String m = c.next(WAIT);
                if (m.startsWith("[\"EOSE\"") || m.startsWith("[\"CLOSED\"") || m.startsWith("[\"OK\"")) {
                    answers.add(m);
                }
            }
            long limited = answers.stream().filter(m -> m.contains("\"rate-limited: your address may send 5 messages")).count();
            assertThat(limited).as("10 per second over 2 gateways: 5 here, so most of 40 at once").isGreaterThanOrEqualTo(30);
            assertThat(answers).anyMatch(m -> m.startsWith("[\"OK\"") && m.contains(",false,\"rate-limited:"));
            assertThat(answers).anyMatch(m -> m.startsWith("[\"CLOSED\"") && m.contains("\"rate-limited:"));
        }
    }

    @Test
    void aClientThatAnswersNoPingIsClosedAndOneThatDoesStays() throws Exception {
        try (RawSocketClient deaf = new RawSocketClient(gateway.port()); WsClient alive = from("203.0.113.5")) {
            // the raw client reads but never answers a ping
            assertThat(deaf.drainUntilClosed(10_000)).as("closed after the 2 s idle timeout").isTrue();
            Thread.sleep(2_500);
            assertThat(alive.closed()).isNotDone();
            alive.send(Nostr.req("still", "{\"limit\":1}"));
            assertThat(alive.until(m -> m.equals("[\"EOSE\",\"still\"]"), WAIT)).isNotEmpty();
        }
    }
}
