package io.nostrex.gateway;

import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Hex;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's warm-up, before it says it is ready: for a few seconds it is its own client, over
 * loopback, through the whole relay. The compiling and class loading of a path's first use then
 * happen before the first client, not in its first seconds (a fresh relay's first fan-out had a
 * p99 2.4-6.7 times its second's, with about 5,100 methods compiled in it; docs/BENCHMARKS.md, "The
 * first minute").
 *
 * <p>{@link #HANDSHAKES} connections are opened and closed, and {@code /metrics} and the NIP-11
 * document are fetched {@link #SCRAPES} times. Then {@link #SUBSCRIBERS} connections,
 * all opened with a header that only this process knows, each
 * ask the store a round of common query shapes (REQ to EOSE, then CLOSE; a COUNT) and send a few
 * messages the gateway refuses, then hold one live REQ for this run's tag. One more connection
 * publishes ephemeral events with that tag at {@link #EVENTS_PER_SECOND} for the warm-up's length,
 * through the validator and the matcher; each is marked ({@link io.nostrex.contract.WarmupMark}) so
 * that it reaches these connections alone. Ephemeral events are never stored nor written to
 * {@code nostr.events}: nothing of a warm-up is stored; its records pass through the topics kept an
 * hour, and its counts stay in the meters. Its connections are not held to the per-address limits of
 * connections and messages, and only while it runs does the header admit one. Where the relay
 * refuses its events (writes restricted), it stops publishing at the first refusals; one that
 * cannot finish (Kafka away) ends at its deadline, and either is logged.
 */
public final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    static final String HEADER = "Nostrex-Warmup";
    public static final int SUBSCRIBERS = 50;
    /** Connections opened and closed at once first: a burst of clients connecting is a path of its own. */
    static final int HANDSHAKES = 300;
    /** Scrapes of its own {@code /metrics} (and NIP-11 requests), as a monitored relay gets from its start. */
    static final int SCRAPES = 20;
    public static final int EVENTS_PER_SECOND = 200;
    public static final int KIND = 20_999;
    private static final int KEYS = 4;
    private static final Duration GRACE = Duration.ofSeconds(20);

    /** What a warm-up did: answers to its queries and refused messages, events sent, OK'd and delivered. */
    public record Report(long answers, long sent, long accepted, long delivered, long millis, boolean outOfTime) {
        @Override
        public String toString() {
            return String.format("%d connections opened and closed, then %d that queried and published: %d answers, "
                    + "%d ephemeral events sent, %d accepted, %d deliveries, in %.1f s", HANDSHAKES, SUBSCRIBERS + 1,
                    answers, sent, accepted, delivered, millis / 1000.0);
        }
    }

    private final String secret = randomHex(16);
    private final String tag = "warmup-" + randomHex(8);
    private volatile boolean running;

    /** Whether an upgrade request with this header value is this warm-up's own (none is once it has ended). */
    boolean admits(String header) {
        return running && header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the warm-up against the gateway's listener on a thread of its own. */
    CompletableFuture<Report> start(String host, int port, Duration length) {
        running = true;
        CompletableFuture<Report> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(run(url(host, port), length));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "gateway-warmup");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** The URL of a listener on {@code host}: loopback when it listens on every address. */
    static URI url(String host, int port) {
        String h = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return URI.create("ws://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + "/");
    }

    private Report run(URI url, Duration length) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + length.plus(GRACE).toNanos();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "gateway-warmup-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(executor).build();
        List<Peer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < HANDSHAKES && System.nanoTime() < deadline; i++) {
                Peer.closeAll(List.of(Peer.open(http, url, secret)));
            }
            for (int i = 0; i < SCRAPES && System.nanoTime() < deadline; i++) {
                scrape(http, url);
            }
            for (int i = 0; i < SUBSCRIBERS; i++) {
                peers.add(Peer.open(http, url, secret));
            }
            List<Peer> subscribers = List.copyOf(peers);
            String badSignature = EventJson.write(EventSigner.random().sign(KIND, List.of(), "not signed so"))
                    .replaceFirst("\"sig\":\"[0-9a-f]{128}\"", "\"sig\":\"" + "0".repeat(128) + "\"");
            for (Peer p : subscribers) {
                p.script(queries(badSignature), tag);
            }
            until(() -> subscribers.stream().allMatch(p -> p.answers.get() >= p.expected), deadline);
            Peer publisher = Peer.open(http, url, secret);
            peers.add(publisher);
            EventSource events = new EventSource(tag);
            long probes = untilEachHasOne(publisher, events, subscribers, deadline);
            until(() -> publisher.oks.get() >= probes, deadline);
            long before = delivered(subscribers); // what the probes brought; from here on each event reaches all
            long timed = publish(publisher, events, length, deadline);
            until(() -> publisher.oks.get() >= probes + timed, deadline);
            long expected = before + (publisher.accepted.get() - probes) * SUBSCRIBERS;
            until(() -> delivered(subscribers) >= expected, deadline);
            return new Report(subscribers.stream().mapToLong(p -> p.answers.get()).sum(), probes + timed,
                    publisher.accepted.get(), delivered(subscribers),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), System.nanoTime() >= deadline);
        } finally {
            Peer.closeAll(peers);
            executor.shutdown();
            running = false;
        }
    }

    /**
     * The HTTP paths on the gateway's port: the NIP-11 document and {@code /metrics}, whose first
     * scrape on a fresh process walks every meter in cold code (about 250 methods compiled in that
     * second; it fell in a flood's first second and stalled its other clients).
     */
    private static void scrape(HttpClient http, URI url) throws InterruptedException {
        URI base = URI.create(url.toString().replaceFirst("^ws", "http"));
        for (HttpRequest r : List.of(
                HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpRequest.newBuilder(base).header("Accept", "application/nostr+json").timeout(Duration.ofSeconds(10)).build())) {
            try {
                http.send(r, HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException e) {
                LOG.debug("warm-up request {} failed: {}", r.uri(), e.toString());
            }
        }
    }

    private static long delivered(List<Peer> subscribers) {
        return subscribers.stream().mapToLong(p -> p.delivered.get()).sum();
    }

    /**
     * Sends one event every 20 ms until each subscriber has had one: a live REQ's EOSE comes before
     * the matchers have it, and a warm-up event is never replayed to a subscription that came late.
     */
    private static long untilEachHasOne(Peer publisher, EventSource events, List<Peer> subscribers, long deadline) {
        long sent = 0;
        while (subscribers.stream().anyMatch(p -> p.delivered.get() == 0) && !publisher.refused()
                && System.nanoTime() < deadline) {
            publisher.send(events.next());
            sent++;
            sleep(20);
        }
        return sent;
    }

    /** Sends events at {@link #EVENTS_PER_SECOND} for {@code length}. */
    private static long publish(Peer publisher, EventSource events, Duration length, long deadline) {
        long total = length.toSeconds() * EVENTS_PER_SECOND;
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total && !publisher.refused() && System.nanoTime() < deadline) {
            long due = (System.nanoTime() - start) * EVENTS_PER_SECOND / 1_000_000_000L + 1;
            for (; sent < Math.min(due, total); sent++) {
                publisher.send(events.next());
            }
            sleep(5);
        }
        return sent;
    }

    /** Waits until {@code done}, or the deadline. */
    private static void until(BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            sleep(10);
        }
    }

    /** The warm-up's EVENT messages: ephemeral, with its tag, signed in turn by a few throwaway keys. */
    private static final class EventSource {
        private final List<EventSigner> keys = new ArrayList<>();
        private final String tag;
        private long n;

        EventSource(String tag) {
            this.tag = tag;
            for (int i = 0; i < KEYS; i++) {
                keys.add(EventSigner.random());
            }
        }

        String next() {
            long i = n++;
            return "[\"EVENT\"," + EventJson.write(keys.get((int) (i % KEYS))
                    .sign(KIND, List.of(List.of("t", tag)), "warm-up " + i)) + "]";
        }
    }

    /**
     * The queries of a round, and messages the gateway refuses: each answered by EOSE, COUNT, CLOSED,
     * NOTICE, NEG-ERR or OK false.
     */
    private List<String> queries(String badSignature) {
        long now = System.currentTimeMillis() / 1000;
        return List.of(
                "[\"REQ\",\"h0\",{\"kinds\":[1],\"limit\":20}]",
                "[\"REQ\",\"h1\",{\"authors\":[\"" + randomHex(32) + "\"],\"kinds\":[0,3,10002]}]",
                "[\"REQ\",\"h2\",{\"#t\":[\"" + tag + "\"],\"limit\":20}]",
                "[\"REQ\",\"h3\",{\"ids\":[\"" + randomHex(32) + "\",\"" + randomHex(32) + "\"]}]",
                "[\"REQ\",\"h4\",{\"#p\":[\"" + randomHex(32) + "\"],\"kinds\":[1,7],\"limit\":20}]",
                "[\"REQ\",\"h5\",{\"since\":" + (now - 600) + ",\"until\":" + now + ",\"limit\":20}]",
                "[\"COUNT\",\"c0\",{\"authors\":[\"" + randomHex(32) + "\"]}]",
                "not json",
                "[\"HELLO\"]",
                "[\"REQ\",\"bad\",{\"kinds\":\"1\"}]",
                "[\"REQ\",\"big\",{\"limit\":1e999999999}]",
                "[\"CLOSE\",{\"a\":1}]",
                "[\"NEG-MSG\",\"neg\",\"61\"]",
                "[\"EVENT\",{\"id\":\"00\"}]",
                "[\"EVENT\"," + badSignature + "]");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Hex.encode(b);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One warm-up connection: counts what it is answered, closes each history REQ at its EOSE. */
    private static final class Peer implements WebSocket.Listener {
        final AtomicLong answers = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong oks = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        private final StringBuilder partial = new StringBuilder();
        private volatile long expected;
        private volatile WebSocket socket;
        private CompletableFuture<WebSocket> sending;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        static Peer open(HttpClient http, URI url, String secret) {
            Peer p = new Peer();
            WebSocket socket = http.newWebSocketBuilder().header(HEADER, secret).connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(url, p).orTimeout(10, TimeUnit.SECONDS).join();
            p.socket = socket;
            p.sending = CompletableFuture.completedFuture(socket);
            return p;
        }

        /** The queries, then the live REQ for {@code tag}: one answer each. */
        void script(List<String> queries, String tag) {
            expected = queries.size() + 1;
            queries.forEach(this::send);
            send("[\"REQ\",\"live\",{\"kinds\":[" + KIND + "],\"#t\":[\"" + tag + "\"]}]");
        }

        /** Queues a message after the ones before it (a WebSocket takes one send at a time); never waits. */
        synchronized void send(String text) {
            sending = sending.thenCompose(ws -> ws.sendText(text, true));
        }

        /** Whether the relay refuses this connection's events (writes restricted to some pubkeys, or to authenticated clients). */
        boolean refused() {
            return oks.get() >= 3 && accepted.get() == 0;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                heard(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void heard(String message) {
            if (message.startsWith("[\"EVENT\",\"live\"")) {
                delivered.incrementAndGet();
            } else if (message.startsWith("[\"OK\",")) {
                oks.incrementAndGet();
                answers.incrementAndGet(); // of a subscriber: its refused EVENT
                if (message.contains("\",true,")) {
                    accepted.incrementAndGet();
                }
            } else if (message.startsWith("[\"EOSE\",\"h")) {
                send("[\"CLOSE\",\"" + message.substring(9, message.indexOf('"', 9)) + "\"]");
                answers.incrementAndGet();
            } else if (!message.startsWith("[\"EVENT\",") && !message.startsWith("[\"AUTH\",")) {
                answers.incrementAndGet(); // EOSE of the live REQ, COUNT, CLOSED, NOTICE
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(null);
        }

        /** The closing handshakes, 5 s for them all, then every socket closed whatever the answers. */
        static void closeAll(List<Peer> peers) {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (Peer p : peers) {
                closing.add(p.socket.sendClose(WebSocket.NORMAL_CLOSURE, "warmed up").thenCompose(ws -> p.closed));
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            peers.forEach(p -> p.socket.abort());
        }
    }
}
