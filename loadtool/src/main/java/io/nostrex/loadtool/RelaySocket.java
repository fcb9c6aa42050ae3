package io.nostrex.loadtool;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * One WebSocket to the relay on the JDK client. No thread per connection: a few {@link HttpClient}s
 * (one selector thread each, see {@link Target}) serve them all. The JDK allows one send in flight per socket, so sends are
 * queued and pumped; received text is handed to the {@link Handler} with its arrival time.
 */
public final class RelaySocket {

    /** Called once per complete text message, on a client thread; must not block. */
    public interface Handler {
        void onMessage(RelaySocket socket, String text, long receivedNanos);
    }

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final int index;
    private volatile WebSocket ws;

    private RelaySocket(int index) {
        this.index = index;
    }

    /** Opens one socket; the future fails after {@code timeout}. */
    public static CompletableFuture<RelaySocket> open(HttpClient client, URI uri, int index, Handler handler, Duration timeout) {
        return open(client, uri, index, handler, timeout, Map.of());
    }

    /** As {@link #open(HttpClient, URI, int, Handler, Duration)}, with these headers on the upgrade request. */
    static CompletableFuture<RelaySocket> open(HttpClient client, URI uri, int index, Handler handler, Duration timeout,
                                               Map<String, String> headers) {
        RelaySocket s = new RelaySocket(index);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, s.new Listener(handler))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(w -> {
                    s.ws = w;
                    return s;
                });
    }

    /** What {@link #openAll} got: the open sockets (in index order) and the failures. */
    record Opened(List<RelaySocket> sockets, int failed, String firstError) {}

    /**
     * Opens {@code n} sockets with at most {@code concurrency} handshakes in flight, giving up on the
     * ones still pending after {@code timeout} in total.
     */
    static Opened openAll(Target target, int n, int concurrency, IntFunction<Handler> handlers,
                          Duration timeout) throws InterruptedException {
        return openAll(target, n, concurrency, handlers, i -> Map.of(), timeout);
    }

    /** As {@link #openAll(Target, int, int, IntFunction, Duration)}, socket i with the headers {@code headers(i)}. */
    static Opened openAll(Target target, int n, int concurrency, IntFunction<Handler> handlers,
                          IntFunction<Map<String, String>> headers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<RelaySocket>> pending = new ArrayList<>(n);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        for (int i = 0; i < n && slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS); i++) {
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            pending.add(open(target.clientFor(i), target.uri(), i, handlers.apply(i), left, headers.apply(i)).whenComplete((s, e) -> {
                slots.release();
                if (e != null) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, rootMessage(e));
                }
            }));
        }
        List<RelaySocket> sockets = new ArrayList<>(n);
        for (CompletableFuture<RelaySocket> f : pending) {
            try {
                sockets.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (Exception e) {
                f.cancel(true);
            }
        }
        return new Opened(sockets, n - sockets.size(), firstError.get());
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    int index() {
        return index;
    }

    /** Queues a text message; sent in order after the ones before it. */
    public void send(String text) {
        queue.add(text);
        pump();
    }

    /** Completes with a reason when the relay closed the socket or it failed. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    /** Drops the connection at once (no closing handshake). */
    public void abort() {
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
        closed.complete("aborted by the load tool");
    }

    private void pump() {
        while (!closed.isDone() && sending.compareAndSet(false, true)) {
            String next = queue.poll();
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            CompletableFuture<WebSocket> sent = ws.sendText(next, true);
            if (sent.isDone() && !sent.isCompletedExceptionally()) {
                sending.set(false);
                continue;
            }
            sent.whenComplete((w, e) -> {
                if (e != null) {
                    closed.complete("send failed: " + rootMessage(e));
                }
                sending.set(false);
                pump();
            });
            return;
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final Handler handler;
        private final StringBuilder partial = new StringBuilder();

        Listener(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            if (!last) {
                partial.append(data);
                return null;
            }
            String text = partial.length() == 0 ? data.toString() : partial.append(data).toString();
            partial.setLength(0);
            handler.onMessage(RelaySocket.this, text, now);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete("closed by the relay: " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error: " + rootMessage(error));
        }
    }
}
