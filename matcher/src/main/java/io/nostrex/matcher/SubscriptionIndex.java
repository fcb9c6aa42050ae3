package io.nostrex.matcher;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every live subscription, held so that an event is matched without scanning every filter: each
 * filter is filed under its most selective field (see {@link FilterBuckets}), the event's fields pick
 * the candidate buckets, and {@link Filter#matches} confirms. Filters that match nothing are not
 * filed.
 *
 * <p>Where a match goes is gathered without hashing: each connection with a live subscription has
 * a {@link ConnectionRoute} with a small dense number, and a per-thread {@link Gather} keeps, by
 * that number, the subscriptions an event matched on each connection.
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
    private final Map<String, Map<Long, ConnectionRoute>> routes = new HashMap<>();
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private int nextSlot;
    private final ThreadLocal<Gather> gathers = ThreadLocal.withInitial(Gather::new);

    /** One connection of one gateway with at least one live subscription. */
    static final class ConnectionRoute {
        final String gateway;
        final long connection;
        final int slot;
        int subscriptions;

        ConnectionRoute(String gateway, long connection, int slot) {
            this.gateway = gateway;
            this.connection = connection;
            this.slot = slot;
        }
    }

    /** Adds a subscription, replacing whatever version was held under its key. */
    public void put(SubscriptionRecord record) {
        LiveSubscription sub = new LiveSubscription(record);
        write(() -> {
            LiveSubscription old = byKey.put(sub.key, sub);
            if (old != null) {
                unfile(List.of(old));
            }
            byGateway.computeIfAbsent(sub.gateway, g -> new HashMap<>()).put(sub.key, sub);
            sub.route = routes.computeIfAbsent(sub.gateway, g -> new HashMap<>())
                    .computeIfAbsent(sub.connection, c -> new ConnectionRoute(sub.gateway, c, allocateSlot()));
            sub.route.subscriptions++;
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
        Gather gather = gathers.get();
        gather.begin();
        read(() -> {
            buckets.collect(event, gather);
            return null;
        });
        return gather.routing();
    }

    /** The field this index files a filter under (ids, authors, #x, kinds or any); for tests. */
    String fieldOf(Filter filter) {
        return buckets.fieldOf(filter);
    }

    private int allocateSlot() {
        Integer free = freeSlots.poll();
        return free != null ? free : nextSlot++;
    }

    private void unfile(List<LiveSubscription> subs) {
        for (LiveSubscription sub : subs) {
            sub.removed = true;
            if (--sub.route.subscriptions == 0) {
                Map<Long, ConnectionRoute> ofGateway = routes.get(sub.gateway);
                ofGateway.remove(sub.connection);
                if (ofGateway.isEmpty()) {
                    routes.remove(sub.gateway);
                }
                freeSlots.push(sub.route.slot);
            }
            Map<String, LiveSubscription> ofGateway = byGateway.get(sub.gateway);
            if (ofGateway != null && ofGateway.remove(sub.key, sub) && ofGateway.isEmpty()) {
                byGateway.remove(sub.gateway);
            }
        }
        buckets.removeAll(subs);
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

    /**
     * One thread's scratch for gathering a match: by connection slot, the subscriptions hit (each
     * once) in this match, told apart from earlier matches by an epoch stamp, so nothing is cleared.
     */
    static final class Gather implements Consumer<LiveSubscription> {
        private int epoch;
        private int[] stamps = new int[64];
        private LiveSubscription[][] hits = new LiveSubscription[64][];
        private int[] counts = new int[64];
        private ConnectionRoute[] touched = new ConnectionRoute[64];
        private int touchedCount;

        void begin() {
            if (++epoch == 0) {
                Arrays.fill(stamps, 0);
                epoch = 1;
            }
            touchedCount = 0;
        }

        @Override
        public void accept(LiveSubscription sub) {
            ConnectionRoute route = sub.route;
            int slot = route.slot;
            if (slot >= stamps.length) {
                int size = Math.max(slot + 1, stamps.length * 2);
                stamps = Arrays.copyOf(stamps, size);
                hits = Arrays.copyOf(hits, size);
                counts = Arrays.copyOf(counts, size);
            }
            if (stamps[slot] != epoch) {
                stamps[slot] = epoch;
                counts[slot] = 0;
                if (hits[slot] == null) {
                    hits[slot] = new LiveSubscription[2];
                }
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = route;
            }
            LiveSubscription[] onConnection = hits[slot];
            int n = counts[slot];
            for (int i = 0; i < n; i++) {
                if (onConnection[i] == sub) {
                    return;
                }
            }
            if (n == onConnection.length) {
                hits[slot] = onConnection = Arrays.copyOf(onConnection, n * 2);
            }
            onConnection[n] = sub;
            counts[slot] = n + 1;
        }

        /** The targets gathered, by gateway; drops the references it held. */
        Map<String, List<Delivery.Target>> routing() {
            if (touchedCount == 0) {
                return Map.of();
            }
            Map<String, List<Delivery.Target>> routing = new LinkedHashMap<>();
            for (int t = 0; t < touchedCount; t++) {
                ConnectionRoute route = touched[t];
                touched[t] = null;
                LiveSubscription[] onConnection = hits[route.slot];
                int n = counts[route.slot];
                List<String> ids;
                if (n == 1) {
                    ids = List.of(onConnection[0].subscriptionId);
                } else {
                    String[] array = new String[n];
                    for (int i = 0; i < n; i++) {
                        array[i] = onConnection[i].subscriptionId;
                    }
                    ids = List.of(array);
                }
                Arrays.fill(onConnection, 0, n, null);
                routing.computeIfAbsent(route.gateway, g -> new ArrayList<>()).add(new Delivery.Target(route.connection, ids));
            }
            return routing;
        }
    }
}
