package io.nostrex.matcher;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Every live subscription, held so that an event is matched without scanning every filter: each
 * filter is filed under its most selective field (see {@link FilterBuckets}), the event's fields pick
 * the candidate buckets, and the bucket confirms. Filters that match nothing are not filed.
 *
 * <p>A match writes the gateways' {@code nostrex.to} header values directly: each subscription
 * keeps its target ready as bytes, the subscriptions that kind and since alone decide are grouped
 * with their targets already joined ({@link TargetGroup}), and a per-thread {@link Gather} copies
 * them out.
 *
 * <p>Thread-safe: written by the Kafka Streams global thread (and the gateway sweep), read by the
 * stream threads. A read-write lock lets matches run side by side; a write holds it only for the
 * bucket updates, the filters being prepared before.
 */
public final class SubscriptionIndex {
    /** Header budget of one delivery record; the producer's default max.request.size is 1 MiB. */
    static final int MAX_TARGETS_BYTES = 256 * 1024;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final FilterBuckets buckets = new FilterBuckets();
    private final Map<String, LiveSubscription> byKey = new HashMap<>();
    private final Map<String, Map<String, LiveSubscription>> byGateway = new HashMap<>();
    private final Map<String, Integer> gatewayIndexes = new HashMap<>();
    private String[] gatewayNames = new String[4];
    private final DenseNumbers gatewayNumbers = new DenseNumbers();
    private final DenseNumbers slots = new DenseNumbers();
    private final ThreadLocal<Gather> gathers;

    public SubscriptionIndex() {
        this(MAX_TARGETS_BYTES);
    }

    /** @param targetsBudget the most bytes of one {@code nostrex.to} header value (one over-long target aside) */
    SubscriptionIndex(int targetsBudget) {
        this.gathers = ThreadLocal.withInitial(() -> new Gather(targetsBudget));
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
            sub.gatewayIndex = gatewayIndexes.computeIfAbsent(sub.gateway, this::allocateGatewayIndex);
            sub.slot = slots.take();
            sub.reachedOnce = sub.filters.size() == 1 && buckets.reachedOnce(sub.filters.get(0));
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
     * Where the event goes: for each gateway with a matching subscription, its {@code nostrex.to}
     * header values (see {@link Delivery}), one per delivery record, each subscription listed once
     * across them. Empty when nothing matches.
     */
    public Map<String, List<byte[]>> match(Event event) {
        Gather gather = gathers.get();
        gather.begin();
        return read(() -> {
            buckets.collect(event, gather);
            return gather.routing(gatewayNames);
        });
    }

    /** The field this index files a filter under (ids, authors, #x, kinds or any); for tests. */
    String fieldOf(Filter filter) {
        return buckets.fieldOf(filter);
    }

    private int allocateGatewayIndex(String gateway) {
        int index = gatewayNumbers.take();
        if (index >= gatewayNames.length) {
            gatewayNames = Arrays.copyOf(gatewayNames, index * 2);
        }
        gatewayNames[index] = gateway;
        return index;
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
        // numbers are given back only once no bucket holds the subscriptions
        for (LiveSubscription sub : subs) {
            slots.give(sub.slot);
            if (!byGateway.containsKey(sub.gateway) && gatewayIndexes.remove(sub.gateway) != null) {
                gatewayNames[sub.gatewayIndex] = null;
                gatewayNumbers.give(sub.gatewayIndex);
            }
        }
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
