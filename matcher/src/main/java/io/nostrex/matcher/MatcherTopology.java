package io.nostrex.matcher;

import io.nostrex.contract.Topics;
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
 * nostr.subscriptions ──▶ [global store "subscriptions"] ──▶ SubscriptionUpdater ──▶ index, acks (ControlSink)
 * nostr.stored ──▶ EventRouter ──(index.match)──▶ nostr.deliveries   (key gateway, value event JSON, targets header)
 *                  └─ GatewaySweep every heartbeatCheckInterval ──▶ tombstones (ControlSink)
 * </pre>
 */
public final class MatcherTopology {
    /** The global store of subscriptions and heartbeats, key and value as on the topic. */
    public static final String STORE = "subscriptions";

    private MatcherTopology() {}

    public static Topology build(MatcherConfig config, SubscriptionIndex index, ControlSink sink,
                                 MatcherMetrics metrics) {
        GatewayLiveness liveness = new GatewayLiveness();
        RecentEphemeral recent = new RecentEphemeral();
        Topology topology = new Topology();
        topology.addGlobalStore(storeBuilder(), "subscriptions-source", new StringDeserializer(),
                new StringDeserializer(), Topics.SUBSCRIPTIONS, "subscriptions-updater",
                () -> new SubscriptionUpdater(STORE, index, liveness, sink, recent));
        topology.addSource("stored-source", new StringDeserializer(), new StringDeserializer(), Topics.STORED);
        topology.addProcessor("event-router", () -> new EventRouter(config, STORE, index, liveness, sink, recent, metrics),
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
