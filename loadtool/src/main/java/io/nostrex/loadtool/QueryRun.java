package io.nostrex.loadtool;

import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * C connections each loop REQ -> EOSE -> CLOSE for the duration, one query at a time, filters
 * round-robin over the shapes asked for (see {@link QueryPool#TYPES}) with random values and a limit.
 * Every query is answered by EOSE or CLOSED, or counted as unanswered when the timeout passes.
 */
final class QueryRun {
    record Plan(int connections, int limit, Duration duration, Duration timeout) {}

    private final Plan plan;
    private final QueryPool pool;
    private final List<String> types;
    private final Latencies all = new Latencies();
    private final Map<String, Latencies> byType = new LinkedHashMap<>();
    private final Map<String, AtomicLong> eventsByType = new LinkedHashMap<>();
    private final Map<String, Long> refused = new TreeMap<>();
    private final AtomicLong stray = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final AtomicLong lastAnswer = new AtomicLong();
    private volatile long deadline;
    private Loop[] loops;

    QueryRun(Plan plan, QueryPool pool) {
        this(plan, pool, pool.types());
    }

    /** Queries of the given shapes only, in turn. */
    QueryRun(Plan plan, QueryPool pool, List<String> types) {
        this.plan = plan;
        this.pool = pool;
        this.types = List.copyOf(types);
        for (String t : types) {
            byType.put(t, new Latencies());
            eventsByType.put(t, new AtomicLong());
        }
    }

    QueryResult run(Target target) throws InterruptedException {
        loops = new Loop[plan.connections()];
        RelaySocket.Opened opened = RelaySocket.openAll(target, plan.connections(), plan.connections(),
                i -> (socket, text, now) -> {
                    // before its loop exists, only what the relay says first can come (a NIP-42 challenge)
                    Loop loop = loops[socket.index()];
                    if (loop != null) {
                        loop.onMessage(text, now);
                    }
                }, plan.timeout());
        for (RelaySocket s : opened.sockets()) {
            loops[s.index()] = new Loop(s);
        }
        long start = System.nanoTime();
        deadline = start + plan.duration().toNanos();
        opened.sockets().forEach(s -> loops[s.index()].next());
        Thread.sleep(Math.max(0, plan.duration().toMillis()));
        long until = System.nanoTime() + plan.timeout().toNanos();
        while (worthWaiting() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        int unanswered = busy();
        opened.sockets().forEach(RelaySocket::abort);
        double seconds = (Math.max(lastAnswer.get(), start) - start) / 1e9;
        Map<String, QueryResult.TypeFigures> perType = new LinkedHashMap<>();
        byType.forEach((t, l) -> perType.put(t, new QueryResult.TypeFigures(l.summary(), eventsByType.get(t).get())));
        synchronized (refused) {
            return new QueryResult(opened.sockets().size(), opened.failed(), opened.firstError(), seconds,
                    all.summary(start), perType, new TreeMap<>(refused), unanswered, stray.get(), other.get());
        }
    }

    /** Loops still waiting for an answer. */
    private int busy() {
        int n = 0;
        for (Loop l : loops) {
            n += l != null && l.busy() ? 1 : 0;
        }
        return n;
    }

    /** True while some loop waits for an answer on a connection that is still open. */
    private boolean worthWaiting() {
        for (Loop l : loops) {
            if (l != null && l.busy() && !l.socket.closed().isDone()) {
                return true;
            }
        }
        return false;
    }

    /** One connection's query loop; its messages arrive one at a time. */
    private final class Loop {
        final RelaySocket socket;
        private final Random random;
        private int seq;
        private String sub;
        private String type;
        private long sentAt;
        private long events;
        private boolean busy;

        Loop(RelaySocket socket) {
            this.socket = socket;
            this.random = new Random(socket.index());
        }

        synchronized boolean busy() {
            return busy;
        }

        synchronized void next() {
            if (System.nanoTime() >= deadline) {
                busy = false;
                return;
            }
            sub = "q" + socket.index() + "-" + (++seq);
            type = types.get(seq % types.size());
            events = 0;
            busy = true;
            String req = "[\"REQ\",\"" + sub + "\"," + pool.filter(type, plan.limit(), random) + "]";
            sentAt = System.nanoTime();
            socket.send(req);
        }

        synchronized void onMessage(String text, long now) {
            if (text.startsWith("[\"EVENT\",\"")) {
                if (sub != null && text.startsWith(sub + "\"", 10)) {
                    events++;
                } else {
                    stray.incrementAndGet();
                }
                return;
            }
            RelayMessage m;
            try {
                m = MessageCodec.decodeRelay(text);
            } catch (MessageException e) {
                other.incrementAndGet();
                return;
            }
            if (m instanceof RelayMessage.Eose e && e.subscriptionId().equals(sub)) {
                all.add(now - sentAt, now);
                byType.get(type).add(now - sentAt, now);
                eventsByType.get(type).addAndGet(events);
                lastAnswer.accumulateAndGet(now, Math::max);
                socket.send("[\"CLOSE\",\"" + sub + "\"]");
                next();
            } else if (m instanceof RelayMessage.Closed c && c.subscriptionId().equals(sub)) {
                synchronized (refused) {
                    refused.merge(PublishResult.prefix(c.message()), 1L, Long::sum);
                }
                lastAnswer.accumulateAndGet(now, Math::max);
                next();
            } else if (!(m instanceof RelayMessage.Closed) && !(m instanceof RelayMessage.AuthChallenge)) {
                other.incrementAndGet();
            }
        }
    }
}
