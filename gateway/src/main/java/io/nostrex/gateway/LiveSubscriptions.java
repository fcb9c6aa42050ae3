package io.nostrex.gateway;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.RelayMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REQ to EOSE to live, without gaps or repeats. A REQ is published to the matcher first; the stored
 * history is queried only once the matcher acknowledges that its index holds the subscription.
 * Every event the matcher handles after that is matched live, and every event it handled before
 * was already durable in PostgreSQL (the matcher reads only stored events), so the history query
 * sees it. Live events that arrive before EOSE are held and sent after it, minus those the
 * history already had.
 */
final class LiveSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSubscriptions.class);
    private static final int MAX_HELD = 10_000;

    private final String gatewayId;
    private final Pipeline pipeline;
    private final History history;
    private final ExecutorService queries;
    private final ScheduledExecutorService timers;
    private final GatewayConfig.Limits limits;
    private final Connections connections;
    private final AtomicLong versions = new AtomicLong();

    LiveSubscriptions(String gatewayId, Pipeline pipeline, History history, ExecutorService queries,
                      ScheduledExecutorService timers, GatewayConfig.Limits limits, Connections connections) {
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
            c.subscriptions().put(subId, sub);
        }
        if (filters.stream().allMatch(Filter::matchesNothing)) {
            runHistory(c, sub);
            return;
        }
        pipeline.subscribe(new SubscriptionRecord(gatewayId, c.id, subId, sub.version, filters),
                error -> failed(c, sub, "error: could not register the subscription: " + error));
        timers.schedule(() -> ackTimedOut(c, sub), limits.ackTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    void close(Connection c, String subId) {
        Subscription removed;
        synchronized (c) {
            removed = c.subscriptions().remove(subId);
        }
        if (removed != null) {
            pipeline.unsubscribe(c.id, subId);
        }
    }

    void closeAll(Connection c) {
        List<String> ids;
        synchronized (c) {
            ids = new ArrayList<>(c.subscriptions().keySet());
            c.subscriptions().clear();
        }
        ids.forEach(id -> pipeline.unsubscribe(c.id, id));
    }

    /** The matcher's acknowledgement: the subscription is indexed; now read the history. */
    void acknowledged(Delivery.Ack ack) {
        Connection c = connections.get(ack.connection());
        if (c == null) {
            return;
        }
        Subscription sub;
        synchronized (c) {
            sub = c.subscriptions().get(ack.subscriptionId());
            if (sub == null || sub.version != ack.version() || sub.state != Subscription.State.AWAITING_ACK) {
                return;
            }
            sub.state = Subscription.State.QUERYING;
        }
        runHistory(c, sub);
    }

    private void ackTimedOut(Connection c, Subscription sub) {
        synchronized (c) {
            if (sub.state != Subscription.State.AWAITING_ACK || c.subscriptions().get(sub.id) != sub) {
                return;
            }
            sub.state = Subscription.State.QUERYING;
        }
        LOG.warn("matcher did not acknowledge subscription {} of connection {} in {} ms; serving history anyway",
                sub.id, c.id, limits.ackTimeoutMillis());
        runHistory(c, sub);
    }

    private void runHistory(Connection c, Subscription sub) {
        try {
            queries.execute(() -> sendHistory(c, sub));
        } catch (java.util.concurrent.RejectedExecutionException busy) {
            failed(c, sub, "rate-limited: the relay is busy; retry the REQ");
        }
    }

    private void sendHistory(Connection c, Subscription sub) {
        List<String> events;
        try {
            events = history.query(sub.filters, limits.maxLimit());
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
            for (String json : events) {
                ids.add(EventIds.of(json));
                c.send(MessageCodec.encodeEvent(sub.id, json));
            }
            c.send(MessageCodec.encode(new RelayMessage.Eose(sub.id)));
            sub.historySent(ids);
            sub.state = Subscription.State.LIVE;
            for (String json : sub.releaseHeld()) {
                c.send(MessageCodec.encodeEvent(sub.id, json));
            }
        }
    }

    /** A live event for some subscriptions of one connection. */
    void deliver(Delivery.Target target, String eventJson) {
        Connection c = connections.get(target.connection());
        if (c == null) {
            return;
        }
        String eventId = EventIds.of(eventJson);
        synchronized (c) {
            for (String subId : target.subscriptionIds()) {
                Subscription sub = c.subscriptions().get(subId);
                if (sub == null) {
                    continue;
                }
                if (sub.state != Subscription.State.LIVE) {
                    if (sub.hold(eventId, eventJson) > MAX_HELD) {
                        c.close();
                        return;
                    }
                } else if (sub.isNew(eventId)) {
                    c.send(MessageCodec.encodeEvent(subId, eventJson));
                }
            }
        }
    }

    private void failed(Connection c, Subscription sub, String reason) {
        synchronized (c) {
            if (c.subscriptions().get(sub.id) != sub) {
                return;
            }
            c.subscriptions().remove(sub.id);
        }
        pipeline.unsubscribe(c.id, sub.id);
        c.send(closed(sub.id, reason));
    }

    static String closed(String subId, String reason) {
        return MessageCodec.encode(new RelayMessage.Closed(subId, reason));
    }
}
