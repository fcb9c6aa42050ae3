package io.nostrex.loadtool;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay under test and the JDK clients that reach it. Each {@link HttpClient} has one selector
 * thread, and with a same-thread executor it runs the WebSocket callbacks on that thread too (about
 * twice less CPU per message than the default pool, which hands every message to another thread).
 * One client per core spreads the sockets, so receiving is not bound to a single core; no thread per
 * connection.
 */
record Target(URI uri, List<HttpClient> clients) {

    static Target of(URI uri, Duration connectTimeout) {
        return of(uri, connectTimeout, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /** The relay at {@code uri} through {@code n} clients of its own (selector threads shared with no other target). */
    static Target of(URI uri, Duration connectTimeout, int n) {
        List<HttpClient> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clients.add(HttpClient.newBuilder().connectTimeout(connectTimeout).executor(Runnable::run).build());
        }
        return new Target(uri, List.copyOf(clients));
    }

    /** The client of socket {@code i}: the sockets are spread round-robin. */
    HttpClient clientFor(int i) {
        return clients.get(i % clients.size());
    }
}
