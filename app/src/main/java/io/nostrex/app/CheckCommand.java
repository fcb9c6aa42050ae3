package io.nostrex.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrex check --url ws://HOST:PORT/}: a smoke test of a running relay, as a client sees
 * it, for {@code helm test} and deployment checks. Reads the NIP-11 document, opens a
 * subscription on one connection, publishes a signed note from a fresh key on another, and expects
 * OK true, the note live on the subscription, and the note from history by its id. The note
 * carries a NIP-40 expiration a few minutes ahead, so the relay drops it afterwards. One line per
 * step; exit status 0 when every step passed, 1 at the first that did not.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a running relay: NIP-11, then publish and subscribe round trip (one expiring note).",
                "Exit status 0 when every step passed, 1 otherwise."})
final class CheckCommand implements Callable<Integer> {
    /** How long the check's note lives (NIP-40) before the relay drops it. */
    static final long NOTE_LIFETIME_SECONDS = 300;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:7777/", paramLabel = "URL",
            description = "the relay's WebSocket URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "how long each step may take (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        return run(url, Duration.ofSeconds(timeoutSeconds), System.out) ? 0 : 1;
    }

    /** Runs every step against {@code relay}, printing one line each; true when all passed. */
    static boolean run(URI relay, Duration timeout, PrintStream out) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            out.println("ok   NIP-11: " + nip11(http, relay, timeout));
            EventSigner signer = EventSigner.random();
            long now = System.currentTimeMillis() / 1000;
            Event note = signer.sign(now, 1, List.of(List.of("expiration", Long.toString(now + NOTE_LIFETIME_SECONDS))),
                    "nostrex check " + now);
            try (Client subscriber = Client.open(http, relay, timeout); Client publisher = Client.open(http, relay, timeout)) {
                subscriber.send(new ClientMessage.Req("check-live", List.of(filter("{\"authors\":[\"" + signer.pubkey() + "\"]}"))));
                subscriber.await(m -> m instanceof RelayMessage.Eose e && e.subscriptionId().equals("check-live"), "EOSE");
                out.println("ok   REQ answered with EOSE");
                publisher.send(new ClientMessage.EventMessage(note));
                RelayMessage.Ok ok = (RelayMessage.Ok) publisher.await(
                        m -> m instanceof RelayMessage.Ok o && o.eventId().equals(note.id()), "OK");
                require(ok.accepted(), "the relay refused the note: " + ok.message());
                out.println("ok   EVENT accepted (OK true)");
                subscriber.await(m -> m instanceof RelayMessage.EventMessage e && e.event().id().equals(note.id()),
                        "the note on the live subscription");
                out.println("ok   the note arrived live on the other connection");
                publisher.send(new ClientMessage.Req("check-id", List.of(filter("{\"ids\":[\"" + note.id() + "\"]}"))));
                publisher.await(m -> m instanceof RelayMessage.EventMessage e && e.event().id().equals(note.id()),
                        "the note from stored history");
                out.println("ok   the note is served from stored history");
            }
            return true;
        } catch (CheckFailed e) {
            out.println("FAIL " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("FAIL interrupted");
            return false;
        }
    }

    private static String nip11(HttpClient http, URI relay, Duration timeout) throws InterruptedException {
        URI page = URI.create(relay.toString().replaceFirst("^ws", "http"));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(page).timeout(timeout)
                    .header("Accept", "application/nostr+json").build(), HttpResponse.BodyHandlers.ofString());
            require(r.statusCode() == 200, "NIP-11 answered HTTP " + r.statusCode());
            JsonNode doc = new ObjectMapper().readTree(r.body());
            boolean nip01 = false;
            for (JsonNode n : doc.path("supported_nips")) {
                nip01 |= n.asInt() == 1;
            }
            require(nip01, "NIP-11 does not list NIP-01 in supported_nips");
            return doc.path("name").asText("(no name)") + ", software " + doc.path("software").asText("?")
                    + " " + doc.path("version").asText("");
        } catch (java.io.IOException e) {
            throw new CheckFailed("NIP-11 at " + page + ": " + e);
        }
    }

    private static Filter filter(String json) {
        try {
            return FilterParser.parse(new ObjectMapper().readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void require(boolean condition, String failure) {
        if (!condition) {
            throw new CheckFailed(failure);
        }
    }

    /** A step that did not pass. */
    static final class CheckFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckFailed(String message) {
            super(message);
        }
    }

    /** One WebSocket: sends client messages, waits for a relay message, fails on a timeout. */
    private static final class Client implements WebSocket.Listener, AutoCloseable {
        private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final Duration timeout;
        private WebSocket socket;

        private Client(Duration timeout) {
            this.timeout = timeout;
        }

        static Client open(HttpClient http, URI relay, Duration timeout) {
            Client c = new Client(timeout);
            try {
                c.socket = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(relay, c)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new CheckFailed("cannot open a WebSocket to " + relay + ": " + e);
            }
            return c;
        }

        void send(ClientMessage m) {
            socket.sendText(MessageCodec.encode(m), true).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        }

        /** The first relay message that matches; what came before is skipped. */
        RelayMessage await(Predicate<RelayMessage> wanted, String what) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String text = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (text == null) {
                    throw new CheckFailed("no " + what + " within " + timeout.toSeconds() + " s");
                }
                RelayMessage m = decode(text);
                if (m instanceof RelayMessage.Closed c) {
                    throw new CheckFailed("the relay closed subscription " + c.subscriptionId() + ": " + c.message());
                }
                if (wanted.test(m)) {
                    return m;
                }
            }
        }

        private static RelayMessage decode(String text) {
            try {
                return MessageCodec.decodeRelay(text);
            } catch (MessageException e) {
                throw new CheckFailed("the relay sent an unreadable message: " + e.getMessage());
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "check done");
        }
    }
}
