package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plain WebSocket client (java.net.http), as a Nostr client would use: send text, read text.
 * The relay's NIP-42 challenge ({@code ["AUTH", <challenge>]}) is kept apart, as clients do, so the
 * inbox holds the answers to what the test sent. Public for the deployment tests (module deploy),
 * which take it from this module's test jar.
 */
public final class WsClient implements AutoCloseable {
    private static final String CHALLENGE_PREFIX = "[\"AUTH\",\"";
    private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> challenge = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    public WsClient(int port) {
        this(port, java.util.Map.of());
    }

    /** With these headers on the upgrade request; fails (CompletionException) when the relay refuses it. */
    public WsClient(int port, java.util.Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new Listener())
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next message, failing after the timeout. */
    public String next(Duration timeout) throws InterruptedException {
        String m = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            fail("no message within " + timeout);
        }
        return m;
    }

    /** Messages up to and including the first that matches, failing after the timeout. */
    public List<String> until(Predicate<String> last, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                fail("no matching message within " + timeout + "; got " + seen);
            }
            seen.add(m);
            if (last.test(m)) {
                return seen;
            }
        }
    }

    /** The first message that matches, the others skipped; empty when none came within the timeout. */
    public Optional<String> first(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String m = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m != null && wanted.test(m)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Whatever arrives within the window (for "nothing more arrives" checks). */
    public List<String> drain(Duration window) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String m = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m != null) {
                seen.add(m);
            }
        }
        return seen;
    }

    /** The NIP-42 challenge the relay sent on connect. */
    public String challenge() {
        return challenge.orTimeout(10, TimeUnit.SECONDS).join();
    }

    public CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener extends TextListener {
        @Override
        protected void text(String m) {
            if (m.startsWith(CHALLENGE_PREFIX) && m.endsWith("\"]") && m.indexOf(',', CHALLENGE_PREFIX.length()) < 0) {
                challenge.complete(m.substring(CHALLENGE_PREFIX.length(), m.length() - 2));
            } else {
                inbox.add(m);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }
}
