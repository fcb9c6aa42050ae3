package io.nostrex.matcher;

import io.nostrex.contract.Topics;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The matcher's Kafka Streams topology:
 * <pre>
 * nostr.subscriptions ──▶ [global store "subscriptions"] ──▶ SubscriptionUpdater ──▶ index, replays and acks (ControlSink)
 * nostr.stored ──▶ EventRouter ──(window, index.match)──▶ nostr.deliveries   (key gateway, value event JSON, targets header)
 *                  └─ GatewaySweep every heartbeatCheckInterval ──▶ tombstones (ControlSink)
 * </pre>
 */
public final class MatcherTopology {
    /** The global store of subscriptions and heartbeats, key and value as on the topic. */
    public static final String STORE = "subscriptions";

    private MatcherTopology() {}

    /**
     * @param storedPartitions the partitions of {@code nostr.stored} (read when a subscription is
     *                         acknowledged, so that the gateway knows when the replays cover them all)
     * @param clock            when events are handled and tasks start, in milliseconds: the system
     *                         clock, read at that moment (Kafka Streams' cached time may be older)
     */
    public static Topology build(MatcherConfig config, SubscriptionIndex index, ControlSink sink,
                                 MatcherMetrics metrics, IntSupplier storedPartitions, LongSupplier clock) {
        GatewayLiveness liveness = new GatewayLiveness();
        RecentEvents recent = new RecentEvents();
        metrics.watch(recent);
        Topology topology = new Topology();
        topology.addGlobalStore(storeBuilder(), "subscriptions-source", new StringDeserializer(),
                new StringDeserializer(), Topics.SUBSCRIPTIONS, "subscriptions-updater",
                () -> new SubscriptionUpdater(STORE, index, liveness, sink, recent, storedPartitions, metrics));
        topology.addSource("stored-source", new StringDeserializer(), new StringDeserializer(), Topics.STORED);
        topology.addProcessor("event-router", () -> new EventRouter(config, STORE, index, liveness, sink, recent, metrics, clock),
                "stored-source");
        topology.addSink("deliveries-sink", Topics.DELIVERIES, new StringSerializer(), new StringSerializer(),
                "event-router");
        return topology;
    }

    /** Persistent, so a restart replays only what came after the last checkpoint; global stores log nothing. */
    static StoreBuilder<KeyValueStore<String, String>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String())
                .withLoggingDisabled();
    }
}
