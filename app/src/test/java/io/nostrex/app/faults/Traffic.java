package io.nostrex.app.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The drill's clients, each on one gateway and keeping its own books: publishers that send signed
 * notes at a fixed rate and record every answer, and subscribers that record every delivery and,
 * when their connection drops, come back with {@code since} a little before the last event they got.
 */
final class Traffic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Traffic() {}

    /** One EVENT sent, and what came of it. */
    static final class Sent {
        final Event event;
        final Publisher by;
        final long sentNanos;
        volatile long answeredNanos;
        volatile Boolean accepted;
        volatile String message;
        /** The connection closed before an answer came. */
        volatile boolean dropped;

        Sent(Event event, Publisher by, long sentNanos) {
            this.event = event;
            this.by = by;
            this.sentNanos = sentNanos;
        }
    }

    /** Text frames reassembled, and the close seen, on one connection. */
    private abstract static class Client extends io.nostrex.app.it.TextListener {
        final int port;
        volatile WebSocket socket;
        volatile boolean open;

        Client(int port) {
            this.port = port;
        }

        boolean connect() {
            try {
                socket = HTTP.newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(3))
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this).get(5, TimeUnit.SECONDS);
                open = true;
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        /** False when the text did not go out (the connection is gone or went while sending). */
        boolean send(String text) {
            WebSocket s = socket;
            if (s == null || !open) {
                return false;
            }
            try {
                s.sendText(text, true).get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                lost();
                return false;
            }
        }

        @Override
        protected void text(String m) {
            try {
                message(JSON.readTree(m));
            } catch (Exception e) {
                // not JSON: nothing the books count
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            lost();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lost();
        }

        abstract void message(JsonNode m);

        /** Called once per connection when it is gone. */
        synchronized void lost() {
            if (open) {
                open = false;
                WebSocket s = socket;
                if (s != null) {
                    s.abort();
                }
                closed();
            }
        }

        abstract void closed();

        void stop() {
            WebSocket s = socket;
            open = false;
            if (s != null) {
                s.abort();
            }
        }
    }

    /**
     * Sends {@code rate} notes a second tagged {@code tag}, by each author in turn (so that they
     * spread over the partitions); not while disconnected: it reconnects first.
     */
    static final class Publisher extends Client {
        final String name;
        private final List<EventSigner> authors;
        private final String tag;
        private final long periodNanos;
        final List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Sent> waiting = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private Thread thread;

        Publisher(String name, int port, List<EventSigner> authors, String tag, double rate) {
            super(port);
            this.name = name;
            this.authors = List.copyOf(authors);
            this.tag = tag;
            this.periodNanos = (long) (1e9 / rate);
        }

        void start() {
            thread = new Thread(this::run, "publisher-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            long next = System.nanoTime();
            int n = 0;
            while (running) {
                if (!open) {
                    if (!connect()) {
                        sleep(250);
                        next = System.nanoTime();
                        continue;
                    }
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next += periodNanos;
                Event e = authors.get(n % authors.size()).sign(1, List.of(List.of("t", tag)), name + " " + (n++));
                Sent s = new Sent(e, this, System.nanoTime());
                sent.add(s);
                waiting.put(e.id(), s);
                if (!send("[\"EVENT\"," + EventJson.write(e) + "]") && waiting.remove(e.id()) != null) {
                    s.dropped = true; // never went out, or went as the connection dropped: no answer will come
                }
            }
        }

        @Override
        void message(JsonNode m) {
            if (m.isArray() && "OK".equals(m.path(0).asText()) && m.size() >= 3) {
                Sent s = waiting.remove(m.path(1).asText());
                if (s != null) {
                    s.message = m.path(3).asText("");
                    s.accepted = m.path(2).asBoolean();
                    s.answeredNanos = System.nanoTime();
                }
            }
        }

        @Override
        void closed() {
            for (Sent s : waiting.values()) {
                s.dropped = true;
            }
            waiting.clear();
        }

        void halt() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    /** One REQ for the tag, live; back with {@code since} when its connection drops. */
    static final class Subscriber extends Client {
        final String name;
        private final String tag;
        private final long startSeconds;
        /** Event id to the number of copies, over all sessions. */
        final Map<String, Integer> received = new ConcurrentHashMap<>();
        /** When a copy of an id came again within one session (a reconnect's history may repeat some across sessions). */
        final List<Long> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        private Map<String, Boolean> session = new HashMap<>();
        final List<long[]> outages = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile long lastCreatedAt;
        private volatile long lostAt;
        private volatile boolean running = true;
        private Thread thread;
        volatile boolean eose;

        Subscriber(String name, int port, String tag, long startSeconds) {
            super(port);
            this.name = name;
            this.tag = tag;
            this.startSeconds = startSeconds;
            this.lastCreatedAt = startSeconds;
        }

        void start() {
            thread = new Thread(this::run, "subscriber-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running) {
                if (!open) {
                    if (connect()) {
                        synchronized (this) {
                            session = new HashMap<>();
                        }
                        if (lostAt != 0) {
                            outages.add(new long[] {lostAt, System.nanoTime()});
                            lostAt = 0;
                        }
                        long since = Math.max(startSeconds, lastCreatedAt - 10);
                        send("[\"REQ\",\"drill\",{\"#t\":[\"" + tag + "\"],\"since\":" + since + ",\"limit\":5000}]");
                    } else {
                        sleep(250);
                        continue;
                    }
                }
                sleep(100);
            }
        }

        @Override
        void message(JsonNode m) {
            if (!m.isArray()) {
                return;
            }
            String type = m.path(0).asText();
            if ("EOSE".equals(type)) {
                eose = true;
            } else if ("EVENT".equals(type)) {
                JsonNode e = m.path(2);
                String id = e.path("id").asText();
                received.merge(id, 1, Integer::sum);
                synchronized (this) {
                    if (session.put(id, Boolean.TRUE) != null) {
                        duplicates.add(System.nanoTime());
                    }
                }
                lastCreatedAt = Math.max(lastCreatedAt, e.path("created_at").asLong());
            } else if ("CLOSED".equals(type)) {
                lost(); // come back and ask again
            }
        }

        @Override
        void closed() {
            lostAt = System.nanoTime();
        }

        void halt() throws InterruptedException {
            running = false;
            thread.join(5_000);
            stop();
        }
    }

    private static void sleep(long millis) {
        sleep(millis, 0);
    }

    private static void sleep(long millis, int nanos) {
        try {
            Thread.sleep(millis, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
