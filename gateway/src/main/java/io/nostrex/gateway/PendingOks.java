package io.nostrex.gateway;

import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.RelayMessage;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EVENTs sent into the pipeline and not yet answered. Every EVENT gets exactly one OK: the verdict
 * when it comes, or {@code error:} after the timeout when the pipeline does not answer.
 */
final class PendingOks {
    private record Key(long connection, String eventId) {}

    private record Waiting(Connection connection, long deadline, int count) {}

    private final Map<Key, Waiting> waiting = new ConcurrentHashMap<>();
    private final long timeoutMillis;

    PendingOks(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    void add(Connection c, String eventId) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        waiting.merge(new Key(c.id, eventId), new Waiting(c, deadline, 1),
                (old, added) -> new Waiting(c, deadline, old.count() + 1));
    }

    /** Sends the OK for one waiting EVENT; false when nothing was waiting (already answered). */
    boolean answer(long connection, String eventId, boolean accepted, String message) {
        Key key = new Key(connection, eventId);
        Waiting[] taken = new Waiting[1];
        waiting.computeIfPresent(key, (k, w) -> {
            taken[0] = w;
            return w.count() > 1 ? new Waiting(w.connection(), w.deadline(), w.count() - 1) : null;
        });
        if (taken[0] == null) {
            return false;
        }
        taken[0].connection().send(MessageCodec.encode(new RelayMessage.Ok(eventId, accepted, message)));
        return true;
    }

    void dropConnection(long connection) {
        waiting.keySet().removeIf(k -> k.connection() == connection);
    }

    /** Answers every EVENT whose verdict is overdue. */
    void expire(long now) {
        for (Iterator<Map.Entry<Key, Waiting>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Waiting> e = it.next();
            if (e.getValue().deadline() <= now) {
                it.remove();
                for (int i = 0; i < e.getValue().count(); i++) {
                    e.getValue().connection().send(MessageCodec.encode(new RelayMessage.Ok(e.getKey().eventId(), false,
                            "error: the relay did not confirm this event in time; it may or may not be stored, retry")));
                }
            }
        }
    }

    int size() {
        return waiting.size();
    }
}
