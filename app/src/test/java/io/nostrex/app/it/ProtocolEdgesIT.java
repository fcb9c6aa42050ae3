package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.delivered;
import static io.nostrex.app.it.Nostr.isEose;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-11, limits and bad input against the running relay: every refusal gets its NIP-01 reply. */
class ProtocolEdgesIT {
    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    static HttpResponse<String> get(String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.gatewayA().port() + "/"));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nip11DocumentWithCorsAndHtmlForBrowsers() throws Exception {
        HttpResponse<String> info = get("application/nostr+json");
        assertThat(info.headers().firstValue("Content-Type")).hasValue("application/nostr+json");
        assertThat(info.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(info.headers().firstValue("Access-Control-Allow-Headers")).isPresent();
        assertThat(info.headers().firstValue("Access-Control-Allow-Methods")).isPresent();
        assertThat(info.body()).contains("\"supported_nips\":[1,", "\"max_message_length\":524288",
                "\"max_subscriptions\":50", "\"max_filters\":10", "\"max_limit\":500");
        HttpResponse<String> page = get("text/html");
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<h1>Nostrex</h1>", "WebSocket");
    }

    @Test
    void malformedInputGetsNoticeAndTheConnectionStaysOpen() throws Exception {
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            for (String bad : List.of("", "not json", "{}", "[]", "[\"NOPE\"]", "[\"REQ\"]", "[".repeat(100_000))) {
                c.send(bad);
                assertThat(c.next(RelayIT.WAIT)).startsWith("[\"NOTICE\",\"invalid:");
            }
            c.send("[\"REQ\",\"bad\",{\"kinds\":[\"x\"]}]");
            assertThat(c.next(RelayIT.WAIT)).startsWith("[\"CLOSED\",\"bad\",\"invalid:");
            c.send("[\"EVENT\",{\"id\":\"" + "a".repeat(64) + "\",\"kind\":-1}]");
            assertThat(c.next(RelayIT.WAIT)).startsWith("[\"OK\",\"" + "a".repeat(64) + "\",false,\"invalid:");
            c.send("[\"REQ\",\"ok\",{\"limit\":0}]");
            assertThat(c.next(RelayIT.WAIT)).isEqualTo("[\"EOSE\",\"ok\"]");
        }
    }

    @Test
    void limitsAreEnforcedWithClosed() throws Exception {
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            c.send("[\"REQ\",\"" + "s".repeat(65) + "\",{}]");
            assertThat(c.next(RelayIT.WAIT)).startsWith("[\"CLOSED\",\"" + "s".repeat(65) + "\",\"invalid:");
            c.send("[\"REQ\",\"many\"" + ",{\"kinds\":[1]}".repeat(11) + "]");
            assertThat(c.next(RelayIT.WAIT)).startsWith("[\"CLOSED\",\"many\",\"invalid: more than 10 filters");
            for (int i = 0; i < 50; i++) {
                c.send("[\"REQ\",\"s" + i + "\",{\"ids\":[]}]");
            }
            c.until(m -> isEose(m, "s49"), RelayIT.WAIT);
            c.send("[\"REQ\",\"one-too-many\",{\"ids\":[]}]");
            assertThat(c.until(m -> m.contains("one-too-many"), RelayIT.WAIT))
                    .last().asString().startsWith("[\"CLOSED\",\"one-too-many\",\"blocked: too many subscriptions");
        }
    }

    @Test
    void oversizedMessageClosesOnlyThatConnection() throws Exception {
        try (WsClient big = new WsClient(relay.gatewayA().port()); WsClient other = new WsClient(relay.gatewayA().port())) {
            try {
                big.send("[\"NOTICE\",\"" + "x".repeat(600 * 1024) + "\"]");
            } catch (java.util.concurrent.CompletionException closedWhileSending) {
                // the relay may close the connection before the client has written the whole frame
            }
            // 1009 (message too big) when the close frame arrives, -1 when the socket went first
            assertThat(big.closed().get(20, TimeUnit.SECONDS)).isIn(1009, -1);
            other.send("[\"REQ\",\"alive\",{\"ids\":[]}]");
            assertThat(other.next(RelayIT.WAIT)).isEqualTo("[\"EOSE\",\"alive\"]");
        }
    }

    @Test
    void aMessageOfExactlyTheLimitInBytesIsRead() throws Exception {
        int limit = 512 * 1024;
        String head = "[\"NOTICE\",\"";
        String tail = "\"]";
        int room = limit - head.length() - tail.length();
        String twoByte = "\u00e9".repeat(room / 2) + "x".repeat(room % 2); // 2 bytes a character: half the characters
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            c.send(head + twoByte + tail);
            assertThat(c.next(RelayIT.WAIT)).startsWith("[\"NOTICE\",\"invalid:");
            c.send(head + "x".repeat(room) + tail);
            assertThat(c.next(RelayIT.WAIT)).startsWith("[\"NOTICE\",\"invalid:");
            c.send("[\"REQ\",\"alive\",{\"ids\":[]}]");
            assertThat(c.next(RelayIT.WAIT)).isEqualTo("[\"EOSE\",\"alive\"]");
        }
    }

    /**
     * A frame whose header declares 10 MB, followed by 100 bytes: refused (1009) on its header. A
     * relay that read the payload first would wait for the other 9.99 MB.
     */
    @Test
    void aFrameDeclaringMoreThanTheLimitIsRefusedOnItsHeader() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(relay.gatewayA().port())) {
            java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(2 + 8 + 4 + 100);
            frame.put((byte) 0x81).put((byte) (0x80 | 127)).putLong(10_000_000L).putInt(0x01020304);
            frame.put("[\"EVENT\",\"".repeat(10).getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 100);
            raw.write(frame.array());
            long started = System.nanoTime();
            assertThat(raw.closeCode()).isEqualTo(1009);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** A text message that is not UTF-8 closes its connection with 1007; the relay's other clients go on. */
    @Test
    void aTextMessageThatIsNotUtf8ClosesItsConnectionWith1007() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(relay.gatewayA().port()); WsClient other = new WsClient(relay.gatewayA().port())) {
            other.challenge();
            byte[] text = {'[', '"', 'R', 'E', 'Q', '"', ',', '"', (byte) 0xC3, (byte) 0x28, '"', ']'};
            java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(2 + 4 + text.length);
            frame.put((byte) 0x81).put((byte) (0x80 | text.length)).putInt(0); // a zero mask leaves the bytes as they are
            frame.put(text);
            raw.write(frame.array());
            assertThat(raw.closeCode()).isEqualTo(1007);
            other.send("[\"REQ\",\"alive\",{\"ids\":[]}]");
            assertThat(other.next(RelayIT.WAIT)).isEqualTo("[\"EOSE\",\"alive\"]");
        }
    }

    /** A WebSocket written byte by byte, for frames no client library sends. */
    private static final class RawWebSocket implements AutoCloseable {
        private final java.net.Socket socket = new java.net.Socket();
        private final java.io.DataInputStream in;

        RawWebSocket(int port) throws java.io.IOException {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            in = new java.io.DataInputStream(socket.getInputStream());
            write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder response = new StringBuilder();
            while (!response.toString().endsWith("\r\n\r\n")) {
                response.append((char) in.readUnsignedByte());
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 101");
        }

        void write(byte[] bytes) throws java.io.IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** Reads frames (the AUTH challenge first) until the relay's close; its status code. */
        int closeCode() throws java.io.IOException {
            while (true) {
                int first = in.readUnsignedByte();
                int length = in.readUnsignedByte() & 0x7f;
                long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                byte[] payload = in.readNBytes((int) size);
                if ((first & 0x0f) == 0x8) {
                    return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                }
            }
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void limitOrdersNewestFirstWithLowestIdOnTies() throws Exception {
        EventSigner hank = EventSigner.random();
        long t = System.currentTimeMillis() / 1000 - 100;
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(hank.sign(t + i / 2, 1, List.of(), "n" + i));
        }
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            for (Event e : events) {
                RelayIT.publish(c, e);
            }
            List<Event> expected = events.stream().sorted(io.nostrex.protocol.Filter.NEWEST_FIRST).limit(3).toList();
            List<String> got = RelayIT.query(c, "l", "{\"authors\":[\"" + hank.pubkey() + "\"],\"limit\":3}");
            assertThat(got).containsExactly(expected.stream().map(e -> delivered("l", e)).toArray(String[]::new));
        }
    }

    @Test
    void replacingAReqUnderTheSameIdAndClose() throws Exception {
        EventSigner ivy = EventSigner.random();
        Event note = ivy.sign(1, List.of(), "replace");
        try (WsClient c = new WsClient(relay.gatewayA().port()); WsClient pub = new WsClient(relay.gatewayB().port())) {
            c.send("[\"REQ\",\"s\",{\"kinds\":[7],\"authors\":[\"" + ivy.pubkey() + "\"]}]");
            c.until(m -> isEose(m, "s"), RelayIT.WAIT);
            c.send("[\"REQ\",\"s\",{\"kinds\":[1],\"authors\":[\"" + ivy.pubkey() + "\"]}]");
            c.until(m -> isEose(m, "s"), RelayIT.WAIT);
            RelayIT.publish(pub, note);
            assertThat(c.next(RelayIT.WAIT)).isEqualTo(delivered("s", note));
            c.send(Nostr.close("s"));
            Thread.sleep(500);
            RelayIT.publish(pub, ivy.sign(1, List.of(), "after close"));
            assertThat(c.drain(Duration.ofMillis(1000))).isEmpty();
        }
    }
}
