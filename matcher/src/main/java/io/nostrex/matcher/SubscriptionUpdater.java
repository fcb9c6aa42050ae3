package io.nostrex.matcher;

import io.nostrex.contract.ContractException;
import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global processor of the subscriptions topic: keeps the global store, the in-memory index and
 * the gateways' liveness in step with it, and acknowledges each subscription version once the index
 * holds it, after sending it the recent events it asked for ({@code since}; see {@link RecentEvents}),
 * saying which partitions that replay covered. A malformed
 * value counts as no value (store and index drop the key), so the state is the same whether built
 * live or replayed from the compacted topic.
 *
 * <p>On init it rebuilds the index from the store: Kafka Streams may fill a global store on restore
 * without calling this processor, and the index lives only in memory.
 */
final class SubscriptionUpdater implements Processor<String, String, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionUpdater.class);

    private final String storeName;
    private final SubscriptionIndex index;
    private final GatewayLiveness liveness;
    private final ControlSink sink;
    private final RecentEvents recent;
    private final IntSupplier storedPartitions;
    private final MatcherMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, String> store;

    SubscriptionUpdater(String storeName, SubscriptionIndex index, GatewayLiveness liveness, ControlSink sink,
                        RecentEvents recent, IntSupplier storedPartitions, MatcherMetrics metrics) {
        this.storedPartitions = storedPartitions;
        this.metrics = metrics;
        this.storeName = storeName;
        this.index = index;
        this.liveness = liveness;
        this.sink = sink;
        this.recent = recent;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        rebuild();
    }

    private void rebuild() {
        long now = context.currentSystemTimeMs();
        int subscriptions = 0;
        try (KeyValueIterator<String, String> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> kv = all.next();
                liveness.seen(SubscriptionRecord.gatewayOfKey(kv.key), now);
                SubscriptionRecord sub = SubscriptionRecord.isHeartbeatKey(kv.key) ? null : parse(kv.key, kv.value);
                if (sub != null) {
                    index.put(sub);
                    subscriptions++;
                }
            }
        }
        LOG.info("subscription index rebuilt from the store: {} subscriptions", subscriptions);
    }

    @Override
    public void process(Record<String, String> record) {
        String key = record.key();
        if (key == null) {
            LOG.warn("skipping a subscriptions record without a key");
        } else if (record.value() == null) {
            drop(key);
        } else if (SubscriptionRecord.isHeartbeatKey(key)) {
            heartbeat(key, record.value());
        } else {
            subscribe(key, record.value());
        }
    }

    private void heartbeat(String gateway, String value) {
        try {
            SubscriptionRecord.heartbeatMillis(value);
        } catch (ContractException | RuntimeException e) {
            LOG.warn("skipping heartbeat of {}: {}", gateway, e.getMessage());
            store.delete(gateway);
            return;
        }
        store.put(gateway, value);
        liveness.heartbeat(gateway, context.currentSystemTimeMs());
    }

    private void subscribe(String key, String value) {
        SubscriptionRecord sub = parse(key, value);
        if (sub == null) {
            drop(key);
            return;
        }
        store.put(key, value);
        // a registration is word from the gateway: after a cut, it registers again before its next heartbeat
        liveness.heartbeat(sub.gateway(), context.currentSystemTimeMs());
        index.put(sub);
        if (sub.since() <= 0) {
            metrics.registered("unasked");
            sink.ack(sub.gateway(), new Delivery.Ack(sub.connection(), sub.subscriptionId(), sub.version()));
            return;
        }
        // after index.put: see RecentEvents for why no event falls between the two
        int partitions = partitions();
        RecentEvents.Replay replay = recent.replay(sub.since(), sub.filters());
        List<Delivery.Target> target = List.of(new Delivery.Target(sub.connection(), List.of(sub.subscriptionId())));
        for (RecentWindow.Entry e : replay.events()) {
            sink.deliver(sub.gateway(), e.json(), target);
        }
        metrics.replayed.increment(replay.events().size());
        metrics.registered(replay.covered().isEmpty() ? "none"
                : replay.covered().size() == replay.owned().size() ? "all" : "some");
        sink.ack(sub.gateway(), partitions > 0
                ? new Delivery.Ack(sub.connection(), sub.subscriptionId(), sub.version(), partitions,
                        replay.owned(), replay.covered())
                : new Delivery.Ack(sub.connection(), sub.subscriptionId(), sub.version()));
    }

    /** The partitions of nostr.stored, or 0 (the ack then says nothing of partitions) when unknown. */
    private int partitions() {
        try {
            return storedPartitions.getAsInt();
        } catch (RuntimeException e) {
            LOG.warn("partitions of the stored topic unknown, acknowledging without them: {}", e.toString());
            return 0;
        }
    }

    private void drop(String key) {
        store.delete(key);
        if (!SubscriptionRecord.isHeartbeatKey(key)) {
            index.remove(key);
        }
    }

    /** The subscription in this value, or null (logged) when it is malformed or not under its own key. */
    private static SubscriptionRecord parse(String key, String value) {
        try {
            SubscriptionRecord sub = SubscriptionRecord.fromJson(value);
            if (!sub.key().equals(key)) {
                throw new ContractException("value names " + sub.key());
            }
            return sub;
        } catch (ContractException | RuntimeException e) {
            LOG.warn("skipping subscription {}: {}", key, e.getMessage());
            return null;
        }
    }
}
