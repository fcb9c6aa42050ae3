package io.nostrex.gateway;

import io.nostrex.protocol.Filter;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.message.RelayMessage;
import io.nostrex.protocol.negentropy.NegItems;
import io.nostrex.protocol.negentropy.Negentropy;
import io.nostrex.protocol.negentropy.NegentropyException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NIP-77, the relay's side: a NEG-OPEN loads the (created_at, id) of the stored events matching its
 * filter on a query thread, then each message of the session is answered there, in order. Bounds:
 * at most {@code maxRecords} records per session (past it, {@code NEG-ERR "blocked: ..."}), at
 * most {@link #MAX_SESSIONS} sessions per connection, answers of at most {@link #FRAME_SIZE_LIMIT}
 * bytes (the protocol carries on over several rounds), client messages as large as any message,
 * and sessions idle for {@link #IDLE_MILLIS} closed.
 */
final class Negentropies {
    static final int MAX_SESSIONS = 4;
    static final int FRAME_SIZE_LIMIT = 60_000;
    /** A session the client has not used for this long is closed ({@code NEG-ERR "closed: ..."}). */
    static final long IDLE_MILLIS = 120_000;

    /** One session: each step runs after the one before it. */
    private static final class Session {
        volatile CompletableFuture<Negentropy> last;
        volatile long lastUsedMillis = System.currentTimeMillis();
    }

    private final History history;
    private final FairQueries queries;
    private final GatewayMetrics metrics;
    private final int maxRecords;
    private final Map<Connection, Map<String, Session>> sessions = new ConcurrentHashMap<>();

    Negentropies(History history, FairQueries queries, int maxRecords, GatewayMetrics metrics) {
        this.history = history;
        this.queries = queries;
        this.maxRecords = maxRecords;
        this.metrics = metrics;
    }

    /** {@code work} on a query thread, in the connection's turn and within its address's share. */
    private <T> CompletableFuture<T> onQueryThread(Connection c, java.util.function.Supplier<T> work) {
        CompletableFuture<T> step = new CompletableFuture<>();
        queries.submit(c.queryLane, () -> {
            try {
                step.complete(work.get());
            } catch (RuntimeException e) {
                step.completeExceptionally(e);
            }
        }, reason -> {
            metrics.queriesRejected.increment();
            step.completeExceptionally(new Refused("rate-limited: " + reason + "; retry"));
        });
        return step;
    }

    void open(Connection c, String subId, Filter filter, String initialHex) {
        Map<String, Session> mine = sessions.computeIfAbsent(c, k -> new ConcurrentHashMap<>());
        Session s = new Session();
        synchronized (mine) {
            mine.remove(subId); // NIP-77: a NEG-OPEN on an open id closes that session first
            if (mine.size() >= MAX_SESSIONS) {
                c.send(new RelayMessage.NegErr(subId, "blocked: at most " + MAX_SESSIONS + " negentropy sessions per connection"));
                return;
            }
            mine.put(subId, s);
        }
        run(c, subId, s, onQueryThread(c, () -> load(filter, c.access()))
                .thenApply(neg -> answer(c, subId, s, neg, initialHex)));
    }

    void message(Connection c, String subId, String hex) {
        Session s = sessions.getOrDefault(c, Map.of()).get(subId);
        if (s == null) {
            c.send(new RelayMessage.NegErr(subId, "closed: no such negentropy session"));
            c.invalid(); // spends the address's allowance of invalid messages, like any message that makes no sense
            return;
        }
        s.lastUsedMillis = System.currentTimeMillis();
        run(c, subId, s, s.last.thenCompose(neg -> onQueryThread(c, () -> answer(c, subId, s, neg, hex))));
    }

    /** Closes the sessions unused since {@code nowMillis - IDLE_MILLIS}, telling their clients. */
    void closeIdle(long nowMillis) {
        sessions.forEach((c, mine) -> mine.forEach((subId, s) -> {
            if (nowMillis - s.lastUsedMillis > IDLE_MILLIS) {
                end(c, subId, s, "closed: this negentropy session was idle for " + IDLE_MILLIS / 1000 + " s");
            }
        }));
    }

    void close(Connection c, String subId) {
        Map<String, Session> mine = sessions.get(c);
        if (mine != null) {
            synchronized (mine) {
                mine.remove(subId);
            }
        }
    }

    /** Forgets the sessions of a connection that closed. */
    void closed(Connection c) {
        sessions.remove(c);
    }

    private Negentropy load(Filter filter, io.nostrex.protocol.auth.ReadAccess access) {
        NegItems.Builder items = new NegItems.Builder();
        int n = history.timesAndIds(List.of(filter), maxRecords, access, (id, createdAt) -> items.add(createdAt, id));
        if (n > maxRecords) {
            throw new Refused("blocked: more than " + maxRecords + " events match this filter; narrow it (since, until, kinds...)");
        }
        return new Negentropy(items.build(), FRAME_SIZE_LIMIT);
    }

    private Negentropy answer(Connection c, String subId, Session s, Negentropy neg, String hex) {
        byte[] answer;
        try {
            answer = neg.answer(Hex.decode(hex));
        } catch (NegentropyException e) {
            throw new Refused("invalid: " + e.getMessage());
        }
        sendIfCurrent(c, subId, s, new RelayMessage.NegMsg(subId, Hex.encode(answer)), false);
        return neg;
    }

    private void run(Connection c, String subId, Session s, CompletableFuture<Negentropy> step) {
        s.last = step;
        step.exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String reason = cause instanceof Refused r ? r.getMessage() : "error: could not read the stored events";
            if (reason.startsWith("invalid:")) {
                c.invalid(); // a negentropy message that cannot be read, as any other unreadable message
            }
            end(c, subId, s, reason);
            return null;
        });
    }

    /** Ends session {@code s} with a NEG-ERR, unless it is no longer the session of {@code subId}. */
    private void end(Connection c, String subId, Session s, String reason) {
        sendIfCurrent(c, subId, s, new RelayMessage.NegErr(subId, reason), true);
    }

    /**
     * Sends {@code m} only while {@code s} is still the session of {@code subId} on an open connection,
     * under the lock that NEG-OPEN and NEG-CLOSE take: an answer of a session closed or replaced in
     * the meantime never reaches the client under the new one.
     */
    private void sendIfCurrent(Connection c, String subId, Session s, RelayMessage m, boolean thenClose) {
        Map<String, Session> mine = sessions.get(c);
        if (mine == null) {
            return;
        }
        synchronized (mine) {
            if (!c.isClosed() && mine.get(subId) == s) {
                if (thenClose) {
                    mine.remove(subId);
                }
                c.send(m);
            }
        }
    }

    /** A reason for NEG-ERR, with its NIP-01 prefix. */
    private static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
