package io.nostrex.matcher;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Every live subscription, held so that an event is matched without scanning every filter: each
 * filter is filed under its most selective field (see {@link FilterBuckets}), the event's fields pick
 * the candidate buckets, and {@link Filter#matches} confirms. Filters that match nothing are not
 * filed.
 *
 * <p>Thread-safe: written by the Kafka Streams global thread (and the gateway sweep), read by the
 * stream threads. A read-write lock lets matches run side by side; a write holds it only for the
 * bucket updates, the filters being prepared before.
 */
public final class SubscriptionIndex {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final FilterBuckets buckets = new FilterBuckets();
    private final Map<String, LiveSubscription> byKey = new HashMap<>();
    private final Map<String, Map<String, LiveSubscription>> byGateway = new HashMap<>();

    /** Adds a subscription, replacing whatever version was held under its key. */
    public void put(SubscriptionRecord record) {
        LiveSubscription sub = new LiveSubscription(record);
        write(() -> {
            LiveSubscription old = byKey.put(sub.key, sub);
            if (old != null) {
                unfile(List.of(old));
            }
            byGateway.computeIfAbsent(sub.gateway, g -> new HashMap<>()).put(sub.key, sub);
            sub.filters.forEach(f -> buckets.add(f, sub));
            return null;
        });
    }

    /** Ends the subscription under this key; false when there was none. */
    public boolean remove(String key) {
        return write(() -> {
            LiveSubscription old = byKey.remove(key);
            if (old != null) {
                unfile(List.of(old));
            }
            return old != null;
        });
    }

    /** Ends every subscription of a gateway; returns their keys. */
    public List<String> removeGateway(String gateway) {
        return write(() -> {
            Map<String, LiveSubscription> subs = byGateway.getOrDefault(gateway, Map.of());
            List<LiveSubscription> removed = List.copyOf(subs.values());
            removed.forEach(s -> byKey.remove(s.key));
            unfile(removed);
            return removed.stream().map(s -> s.key).toList();
        });
    }

    /** The number of subscriptions held (including those whose filters all match nothing). */
    public int size() {
        return read(byKey::size);
    }

    /** The version held under this key, empty when there is none. */
    public OptionalLong version(String key) {
        return read(() -> {
            LiveSubscription sub = byKey.get(key);
            return sub == null ? OptionalLong.empty() : OptionalLong.of(sub.version);
        });
    }

    /**
     * Where the event goes: for each gateway with a matching subscription, its connections and their
     * matching subscription ids, each id listed once. Empty when nothing matches.
     */
    public Map<String, List<Delivery.Target>> match(Event event) {
        Set<LiveSubscription> hits = read(() -> buckets.collect(event));
        return hits == null ? Map.of() : route(hits);
    }

    /** The field this index files a filter under (ids, authors, #x, kinds or any); for tests. */
    String fieldOf(Filter filter) {
        return buckets.fieldOf(filter);
    }

    private void unfile(List<LiveSubscription> subs) {
        for (LiveSubscription sub : subs) {
            sub.removed = true;
            Map<String, LiveSubscription> ofGateway = byGateway.get(sub.gateway);
            if (ofGateway != null && ofGateway.remove(sub.key, sub) && ofGateway.isEmpty()) {
                byGateway.remove(sub.gateway);
            }
        }
        buckets.removeAll(subs);
    }

    private static Map<String, List<Delivery.Target>> route(Set<LiveSubscription> hits) {
        Map<String, Map<Long, List<String>>> grouped = new LinkedHashMap<>();
        for (LiveSubscription sub : hits) {
            grouped.computeIfAbsent(sub.gateway, g -> new LinkedHashMap<>())
                    .computeIfAbsent(sub.connection, c -> new ArrayList<>(2))
                    .add(sub.subscriptionId);
        }
        Map<String, List<Delivery.Target>> routing = new LinkedHashMap<>();
        grouped.forEach((gateway, connections) -> {
            List<Delivery.Target> targets = new ArrayList<>(connections.size());
            connections.forEach((conn, subIds) -> targets.add(new Delivery.Target(conn, subIds)));
            routing.put(gateway, List.copyOf(targets));
        });
        return routing;
    }

    private <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
