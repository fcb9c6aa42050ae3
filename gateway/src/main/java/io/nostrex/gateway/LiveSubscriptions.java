package io.nostrex.gateway;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.auth.ReadAccess;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.RelayMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REQ to EOSE to live, without gaps or repeats. A REQ is answered from PostgreSQL at once: stored
 * events, then EOSE. {@value #REGISTER_DELAY_MILLIS} ms after EOSE, if the client has not closed it
 * by then, the subscription is published to the matchers with {@code since}, shortly before the REQ.
 * Each matcher instance puts it in its index, sends it the matching events it handled since then
 * (it keeps a window of recent events per partition of {@code nostr.stored}), and acknowledges,
 * naming the partitions it handles and those its replay covered. Every event a matcher handles
 * after its ack is delivered live, so once the acks cover every partition nothing is missing: an
 * event handled before {@code since} was stored before the REQ and is in the history. When some
 * partition was not covered (its matcher started after {@code since}, or its window no longer
 * reaches back that far), or the acks do not come in {@code ackTimeoutMillis}, one catch-up query
 * sends what was stored since shortly before the history query (the matchers read only stored
 * events, so everything they handled before their acks is in PostgreSQL by then). Ids already sent
 * are dropped. Registering after EOSE spares the matchers (and Kafka) the one-shot REQ-EOSE-CLOSE
 * queries clients send all the time. A REQ that replaces a registered subscription is registered
 * at once, so that the old filters stop matching promptly.
 */
final class LiveSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSubscriptions.class);
    private static final int MAX_HELD = 10_000;
    /** How far before the history query the catch-up reads: longer than an archiver transaction. */
    static final long CATCH_UP_MARGIN_MILLIS = 5_000;
    /**
     * How far before the REQ the matchers replay what they handled: covers clock differences
     * between machines; an event accepted just before the REQ may be sent twice (dropped by id) or,
     * if the history's limit cut it, once after EOSE, which is harmless.
     */
    static final long REPLAY_MARGIN_MILLIS = 1_000;
    /** How long after EOSE a subscription is registered with the matcher, unless closed by then. */
    static final long REGISTER_DELAY_MILLIS = 200;

    private final String gatewayId;
    private final Pipeline pipeline;
    private final History history;
    private final FairQueries queries;
    private final ScheduledExecutorService timers;
    private final GatewayConfig.Limits limits;
    private final Connections connections;
    private final AtomicLong versions = new AtomicLong();
    private final GatewayMetrics metrics;

    LiveSubscriptions(String gatewayId, Pipeline pipeline, History history, FairQueries queries,
                      ScheduledExecutorService timers, GatewayConfig.Limits limits, Connections connections,
                      GatewayMetrics metrics) {
        this.metrics = metrics;
        this.gatewayId = gatewayId;
        this.pipeline = pipeline;
        this.history = history;
        this.queries = queries;
        this.timers = timers;
        this.limits = limits;
        this.connections = connections;
    }

    void open(Connection c, String subId, List<Filter> filters) {
        Subscription sub;
        synchronized (c) {
            if (!c.subscriptions().containsKey(subId) && c.subscriptions().size() >= limits.maxSubscriptions()) {
                c.send(closed(subId, "blocked: too many subscriptions (max " + limits.maxSubscriptions() + ")"));
                return;
            }
            sub = new Subscription(subId, versions.incrementAndGet(), filters);
            sub.queryStartMillis = System.currentTimeMillis();
            sub.queryStartNanos = System.nanoTime();
            Subscription replaced = c.putSubscription(sub);
            if (replaced == null) {
                metrics.subscriptionsOpen.incrementAndGet();
            }
            if (filters.stream().allMatch(Filter::matchesNothing)) {
                sub.acknowledged = true;
                sub.caughtUp = true;
                if (replaced != null && replaced.registered) {
                    pipeline.unsubscribe(c.id, subId);
                }
            } else if (replaced != null && replaced.registered) {
                register(c, sub);
            }
        }
        submit(c, sub, () -> sendHistory(c, sub), "REQ");
    }

    /**
     * Publishes the subscription to the matcher, once. Called under the connection's lock, so that
     * a CLOSE's tombstone can only be produced after the registration it cancels.
     */
    private void register(Connection c, Subscription sub) {
        if (sub.registered || sub.acknowledged) {
            return;
        }
        sub.registered = true;
        sub.registeredNanos = System.nanoTime();
        pipeline.subscribe(new SubscriptionRecord(gatewayId, c.id, sub.id, sub.version, sub.filters,
                        sub.queryStartMillis - REPLAY_MARGIN_MILLIS),
                error -> failed(c, sub, "error: could not register the subscription: " + error));
        long version = sub.version;
        timers.schedule(() -> ackTimedOut(c, sub, version), limits.ackTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void registerIfOpen(Connection c, Subscription sub) {
        synchronized (c) {
            if (!c.isClosed() && c.subscriptions().get(sub.id) == sub) {
                register(c, sub);
            }
        }
    }

    void close(Connection c, String subId) {
        synchronized (c) {
            Subscription removed = c.removeSubscription(subId);
            if (removed != null) {
                metrics.subscriptionsOpen.decrementAndGet();
                if (removed.registered) {
                    pipeline.unsubscribe(c.id, subId);
                }
            }
        }
    }

    void closeAll(Connection c) {
        synchronized (c) {
            for (Subscription sub : c.subscriptions().values()) {
                if (sub.registered) {
                    pipeline.unsubscribe(c.id, sub.id);
                }
            }
            metrics.subscriptionsOpen.addAndGet(-c.subscriptions().size());
            c.clearSubscriptions();
        }
    }

    /**
     * One matcher's acknowledgement: it has indexed the subscription, and replayed what it handled
     * since the REQ for the partitions it names. Once every partition has been replayed, the
     * subscription is caught up; once every partition is matched live but some were not replayed,
     * it catches up by a query once its history is out. An ack that names no partitions (a matcher
     * of an older version) counts as every partition matched live.
     */
    void acknowledged(Delivery.Ack ack) {
        Connection c = connections.get(ack.connection());
        if (c != null) {
            synchronized (c) {
                Subscription sub = c.subscriptions().get(ack.subscriptionId());
                if (sub == null || sub.version != ack.version() || sub.acknowledged) {
                    return;
                }
                if (ack.partitions() == 0) {
                    markAcknowledged(c, sub, "query");
                    return;
                }
                switch (sub.acknowledgedBy(ack.partitions(), ack.owned(), ack.covered())) {
                    case REPLAYED -> {
                        sub.acknowledged = true;
                        sub.caughtUp = true;
                        metrics.wentLive("replay").increment();
                        metrics.registrationLatency.record(System.nanoTime() - sub.registeredNanos, TimeUnit.NANOSECONDS);
                    }
                    case LIVE -> markAcknowledged(c, sub, "query");
                    case PENDING -> { }
                }
            }
        }
    }

    /**
     * A matcher dropped every subscription of this gateway at {@code sweptAtMillis} (its clock): it
     * had not heard of it for its gateway timeout, as when this gateway was cut off from Kafka. The
     * notice comes after the tombstones, so each registered subscription is registered again now, as
     * a new version, with {@code since} the sweep (a live one) or its REQ (one still querying): the
     * matchers' replay, or a catch-up query, then sends what it missed since, without repeats. With
     * several matchers, each sweep sends a notice and each notice registers everything again.
     */
    void swept(long sweptAtMillis) {
        int again = 0;
        for (Connection c : connections.all()) {
            synchronized (c) {
                if (c.isClosed()) {
                    continue;
                }
                for (Subscription sub : c.subscriptions().values()) {
                    if (!sub.registered) {
                        continue; // not yet registered: it will be, after the sweep
                    }
                    sub.registerAgain(versions.incrementAndGet());
                    if (sub.state == Subscription.State.LIVE) {
                        sub.queryStartMillis = sweptAtMillis;
                    }
                    register(c, sub);
                    again++;
                }
            }
        }
        metrics.registeredAgain.increment(again);
        LOG.warn("the matchers had dropped this gateway's subscriptions (silent past their gateway timeout, at {}):"
                + " registered {} again", java.time.Instant.ofEpochMilli(sweptAtMillis), again);
    }

    private void ackTimedOut(Connection c, Subscription sub, long version) {
        synchronized (c) {
            if (sub.acknowledged || sub.version != version || c.subscriptions().get(sub.id) != sub) {
                return;
            }
            LOG.warn("the matchers did not acknowledge subscription {} of connection {} for every partition in {} ms;"
                    + " catching up anyway", sub.id, c.id, limits.ackTimeoutMillis());
            markAcknowledged(c, sub, "timeout");
        }
    }

    /** Called under the connection's lock: the catch-up query runs once the history is out. */
    private void markAcknowledged(Connection c, Subscription sub, String by) {
        if (sub.acknowledged) {
            return;
        }
        sub.acknowledged = true;
        metrics.wentLive(by).increment();
        metrics.registrationLatency.record(System.nanoTime() - sub.registeredNanos, TimeUnit.NANOSECONDS);
        if (sub.state == Subscription.State.LIVE) {
            submit(c, sub, () -> catchUp(c, sub), "REQ");
        }
    }

    private void submit(Connection c, Subscription sub, Runnable work, String what) {
        queries.submit(c.queryLane, work, reason -> {
            metrics.queriesRejected.increment();
            failed(c, sub, "rate-limited: " + reason + "; retry the " + what);
        });
    }

    private void sendHistory(Connection c, Subscription sub) {
        if (!isCurrent(c, sub)) {
            return; // closed or replaced while it waited for a query thread
        }
        List<byte[]> events;
        try {
            events = history.query(sub.filters, limits.maxLimit(), c.access());
        } catch (RuntimeException e) {
            LOG.warn("history query failed for connection {}: {}", c.id, e.toString());
            failed(c, sub, "error: could not read stored events");
            return;
        }
        synchronized (c) {
            if (c.subscriptions().get(sub.id) != sub) {
                return;
            }
            Set<String> ids = new HashSet<>(events.size() * 2);
            for (byte[] json : events) {
                ids.add(EventIds.of(json));
                c.sendEvent(sub.framePrefix(), json);
            }
            c.send(new RelayMessage.Eose(sub.id));
            metrics.reqLatency.record(System.nanoTime() - sub.queryStartNanos, TimeUnit.NANOSECONDS);
            metrics.reqRows.record(events.size());
            sub.historySent(ids);
            sub.state = Subscription.State.LIVE;
            for (String json : c.releaseHeld(sub)) {
                c.sendEvent(MessageCodec.encodeEvent(sub.id, json));
            }
            if (sub.acknowledged && !sub.caughtUp) {
                submit(c, sub, () -> catchUp(c, sub), "REQ");
            } else if (!sub.registered && !sub.acknowledged) {
                timers.schedule(() -> registerIfOpen(c, sub), REGISTER_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends what was stored between the history query and the matcher's acknowledgement. */
    private void catchUp(Connection c, Subscription sub) {
        if (!isCurrent(c, sub)) {
            return;
        }
        List<byte[]> events;
        long started = System.nanoTime();
        try {
            events = history.queryStoredSince(sub.filters, sub.queryStartMillis - CATCH_UP_MARGIN_MILLIS,
                    limits.maxLimit(), c.access());
            metrics.catchUpLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            metrics.catchUpRows.record(events.size());
        } catch (RuntimeException e) {
            LOG.warn("catch-up query failed for connection {}: {}", c.id, e.toString());
            failed(c, sub, "error: could not read stored events");
            return;
        }
        synchronized (c) {
            if (c.subscriptions().get(sub.id) != sub || sub.caughtUp) {
                return;
            }
            for (int i = events.size() - 1; i >= 0; i--) {
                if (sub.isNew(EventIds.of(events.get(i)))) {
                    c.sendEvent(sub.framePrefix(), events.get(i));
                }
            }
            sub.caughtUp = true;
        }
    }

    /**
     * A live event for the subscriptions the matcher named, added to the inbox's current batch
     * ({@link #flushDeliveries} hands it on). The event is encoded to UTF-8 once.
     * Called on the inbox thread only. {@code receivedMillis}: when the event's gateway received it
     * (a live match's record carries it as its timestamp), 0 for a replay. {@code warmup}: the
     * gateway's own warm-up event ({@link io.nostrex.contract.WarmupMark}), for its warm-up
     * connections only, whatever the other connections' filters.
     */
    void deliver(List<Delivery.Target> targets, String eventJson, Delivery.Position from, long receivedMillis,
                 boolean warmup) {
        String eventId = EventIds.of(eventJson);
        int kind = -1;
        Event parsed = null;
        LiveEvent event = null;
        for (Delivery.Target target : targets) {
            Connection c = connections.get(target.connection());
            if (c == null || warmup && !c.warmup) {
                continue;
            }
            ReadAccess access = c.access();
            if (!access.privateKinds().isEmpty()) {
                if (kind == -1) {
                    kind = EventIds.kind(eventJson);
                }
                if (access.isPrivate(kind)) {
                    if (parsed == null) {
                        parsed = parse(eventJson);
                    }
                    if (parsed == null || !access.mayRead(parsed)) {
                        metrics.withheld.increment();
                        continue;
                    }
                }
            }
            if (event == null) {
                event = new LiveEvent(eventId, Subscription.recentKey(eventId), eventJson,
                        eventJson.getBytes(StandardCharsets.UTF_8), from, from == null ? 0 : receivedMillis);
                batchBytes += event.utf8.length;
            }
            batch.computeIfAbsent(c.ioThread(), t -> new ThreadBatch()).add(c, new Pending(target.subscriptionIds(), event));
        }
        if (batchBytes >= MAX_BATCH_BYTES) {
            flushDeliveries();
        }
    }

    /**
     * Hands the batch of live events to the I/O threads that write their connections, one task per
     * thread: there every EVENT frame is written at once, instead of each send waking the thread
     * with a task of its own, and the frames a connection gets from one batch leave in one write.
     * The inbox calls it after each poll, so a batch is what arrived together. Events handed over
     * and not yet written are bounded ({@value #MAX_QUEUED_BYTES} bytes): past that the inbox waits
     * for the I/O threads, which holds back Kafka rather than memory.
     */
    void flushDeliveries() {
        if (batch.isEmpty()) {
            return;
        }
        long size = batchBytes;
        batch.forEach((thread, share) -> {
            awaitRoom(size);
            try {
                thread.execute(() -> {
                    try {
                        share.byConnection.forEach(this::deliver);
                        long now = System.currentTimeMillis(); // this thread's frames of these events are written
                        for (LiveEvent e : share.timed) {
                            metrics.deliveredSinceReceived.record(Math.max(0, now - e.receivedMillis), TimeUnit.MILLISECONDS);
                        }
                    } finally {
                        queuedBytes.addAndGet(-size);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                queuedBytes.addAndGet(-size); // the server is stopping: its connections are closing
            }
        });
        batch.clear();
        batchBytes = 0;
    }

    /** Most bytes of live events one batch gathers before it is handed on. */
    private static final long MAX_BATCH_BYTES = 1L << 20;
    /** Most bytes of live events handed to the I/O threads and not yet written to their connections. */
    static final long MAX_QUEUED_BYTES = 32L << 20;
    /** How long the inbox waits for room before it hands a batch over anyway. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** The inbox's batch: by I/O thread, by connection, the live events in arrival order. */
    private final Map<Executor, ThreadBatch> batch = new HashMap<>();
    private long batchBytes;
    private final AtomicLong queuedBytes = new AtomicLong();

    private void awaitRoom(long size) {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        while (queuedBytes.get() + size > MAX_QUEUED_BYTES && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        queuedBytes.addAndGet(size);
    }

    /**
     * One live event, read once for all its recipients; {@code from}: its place in nostr.stored, or
     * null (a replay); {@code receivedMillis}: when its gateway received it, 0 for a replay.
     */
    private record LiveEvent(String id, long recentKey, String json, byte[] utf8, Delivery.Position from,
                             long receivedMillis) {
    }

    /**
     * One I/O thread's share of a batch: its connections' live events, and the live matches among
     * them (each once) whose pipeline latency it records when it has written them.
     */
    private static final class ThreadBatch {
        final Map<Connection, List<Pending>> byConnection = new LinkedHashMap<>();
        final List<LiveEvent> timed = new ArrayList<>();

        void add(Connection c, Pending p) {
            byConnection.computeIfAbsent(c, x -> new ArrayList<>(2)).add(p);
            // an event reaches all its recipients before the next event is added
            if (p.event.receivedMillis > 0 && (timed.isEmpty() || timed.get(timed.size() - 1) != p.event)) {
                timed.add(p.event);
            }
        }
    }

    /** A live event for some of one connection's subscriptions. */
    private record Pending(List<String> subscriptionIds, LiveEvent event) {
    }

    private static Event parse(String eventJson) {
        try {
            return EventParser.parse(eventJson);
        } catch (InvalidEventException e) {
            LOG.warn("a delivered event of a private kind could not be read, so it goes to no one: {}", e.getMessage());
            return null;
        }
    }

    /** Writes a connection's share of a batch, on its I/O thread: its frames leave in one write. */
    private void deliver(Connection c, List<Pending> events) {
        synchronized (c) {
            boolean gather = events.size() > 1 && c.holdWrites();
            try {
                for (Pending p : events) {
                    if (!deliver(c, p.subscriptionIds, p.event)) {
                        return;
                    }
                }
            } finally {
                if (gather) {
                    c.releaseWrites();
                }
            }
        }
    }

    /** Called under the connection's lock; false when the connection was closed for holding too many. */
    private boolean deliver(Connection c, List<String> subIds, LiveEvent event) {
        for (String subId : subIds) {
            Subscription sub = c.subscriptions().get(subId);
            if (sub == null) {
                continue;
            }
            if (sub.state != Subscription.State.LIVE) {
                if (sub.hold(event.id, event.json, event.utf8.length) > MAX_HELD || !c.held(event.utf8.length)) {
                    LOG.info("connection {} from {}: subscription {} holds {} events ({} bytes held or queued) before"
                            + " its EOSE: disconnecting", c.id, c.address, subId, MAX_HELD, c.outboundBytes());
                    c.close(Connection.CloseReason.TOO_MANY_HELD);
                    return false;
                }
            } else if ((event.from == null || sub.advance(event.from.partition(), event.from.offset()))
                    && sub.isNew(event.id, event.recentKey)) {
                delivered(c.sendEvent(sub.framePrefix(), event.utf8));
            }
        }
        return true;
    }

    private void delivered(int bytes) {
        if (bytes > 0) {
            metrics.deliveries.increment();
            metrics.deliveredBytes.increment(bytes);
        }
    }

    private static boolean isCurrent(Connection c, Subscription sub) {
        synchronized (c) {
            return !c.isClosed() && c.subscriptions().get(sub.id) == sub;
        }
    }

    private void failed(Connection c, Subscription sub, String reason) {
        synchronized (c) {
            if (c.subscriptions().get(sub.id) != sub) {
                return;
            }
            c.removeSubscription(sub.id);
            metrics.subscriptionsOpen.decrementAndGet();
            if (sub.registered) {
                pipeline.unsubscribe(c.id, sub.id);
            }
        }
        c.send(closed(sub.id, reason));
    }

    static RelayMessage.Closed closed(String subId, String reason) {
        return new RelayMessage.Closed(subId, reason);
    }
}
