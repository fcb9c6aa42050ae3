package io.nostrex.gateway;

import io.nostrex.protocol.message.RelayMessage;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EVENTs sent into the pipeline and not yet answered. Every EVENT gets exactly one OK: the verdict
 * when it comes, or {@code error:} after the timeout when the pipeline does not answer. The time
 * from receiving an EVENT to sending its OK is measured here.
 */
final class PendingOks {
    /** Who sent the EVENTs: a connection. */
    interface Client {
        long id();

        /** How many of its EVENTs wait for their OK; kept here. */
        java.util.concurrent.atomic.AtomicInteger pendingOks();

        void send(RelayMessage message);

        /** One of its messages was refused as invalid (see {@link Connection#invalid()}). */
        void invalid();
    }

    private record Key(long connection, String eventId) {}

    /** Copies of one EVENT on one connection waiting, the first received at {@code receivedNanos}. */
    private record Waiting(Client connection, long deadline, int count, long receivedNanos) {}

    private final Map<Key, Waiting> waiting = new ConcurrentHashMap<>();
    private final long timeoutMillis;
    private final int maxPerConnection;
    private final GatewayMetrics metrics;

    PendingOks(long timeoutMillis, int maxPerConnection, GatewayMetrics metrics) {
        this.timeoutMillis = timeoutMillis;
        this.maxPerConnection = maxPerConnection;
        this.metrics = metrics;
    }

    /**
     * Records an EVENT that will get an OK; false (nothing recorded) when the connection already has
     * {@code maxPerConnection} waiting: a client must read its OKs to send more.
     */
    boolean add(Client c, String eventId) {
        if (c.pendingOks().incrementAndGet() > maxPerConnection) {
            c.pendingOks().decrementAndGet();
            return false;
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        waiting.merge(new Key(c.id(), eventId), new Waiting(c, deadline, 1, System.nanoTime()),
                (old, added) -> new Waiting(c, deadline, old.count() + 1, old.receivedNanos()));
        metrics.okPending.incrementAndGet();
        return true;
    }

    int maxPerConnection() {
        return maxPerConnection;
    }

    /** Sends the OK for one waiting EVENT; false when nothing was waiting (already answered). */
    boolean answer(long connection, String eventId, boolean accepted, String message) {
        Key key = new Key(connection, eventId);
        Waiting[] taken = new Waiting[1];
        waiting.computeIfPresent(key, (k, w) -> {
            taken[0] = w;
            return w.count() > 1 ? new Waiting(w.connection(), w.deadline(), w.count() - 1, w.receivedNanos()) : null;
        });
        if (taken[0] == null) {
            return false;
        }
        metrics.okPending.decrementAndGet();
        taken[0].connection().pendingOks().decrementAndGet();
        metrics.okLatency(accepted, System.nanoTime() - taken[0].receivedNanos());
        taken[0].connection().send(new RelayMessage.Ok(eventId, accepted, message));
        if (!accepted && message.startsWith("invalid:")) {
            taken[0].connection().invalid();
        }
        return true;
    }

    void dropConnection(long connection) {
        waiting.entrySet().removeIf(e -> {
            if (e.getKey().connection() != connection) {
                return false;
            }
            metrics.okPending.addAndGet(-e.getValue().count());
            e.getValue().connection().pendingOks().addAndGet(-e.getValue().count());
            return true;
        });
    }

    /** Answers every EVENT whose verdict is overdue. */
    void expire(long now) {
        for (Iterator<Map.Entry<Key, Waiting>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Waiting> e = it.next();
            Waiting w = e.getValue();
            if (w.deadline() <= now) {
                it.remove();
                metrics.okPending.addAndGet(-w.count());
                w.connection().pendingOks().addAndGet(-w.count());
                for (int i = 0; i < w.count(); i++) {
                    metrics.okLatency(false, System.nanoTime() - w.receivedNanos());
                    w.connection().send(new RelayMessage.Ok(e.getKey().eventId(), false,
                            "error: the relay did not confirm this event in time; it may or may not be stored, retry"));
                }
            }
        }
    }

    int size() {
        return waiting.size();
    }
}
