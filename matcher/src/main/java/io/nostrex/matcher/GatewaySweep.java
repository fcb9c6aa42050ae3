package io.nostrex.matcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wall-clock punctuation: drops the subscriptions of gateways not heard of for longer than the
 * timeout, from the index at once and from the compacted topic by tombstones (one per subscription
 * key in the store, plus the heartbeat key), which the global processor then applies to the store;
 * then, when it dropped any, tells the gateway (a sweep notice on the deliveries topic), which
 * registers its subscriptions again if it was alive but cut off from Kafka.
 */
final class GatewaySweep implements Punctuator {
    private static final Logger LOG = LoggerFactory.getLogger(GatewaySweep.class);

    private final GatewayLiveness liveness;
    private final long timeoutMillis;
    private final SubscriptionIndex index;
    private final ControlSink sink;
    private final ReadOnlyKeyValueStore<String, String> store;

    GatewaySweep(GatewayLiveness liveness, Duration timeout, SubscriptionIndex index, ControlSink sink,
                 ReadOnlyKeyValueStore<String, String> store) {
        this.liveness = liveness;
        this.timeoutMillis = timeout.toMillis();
        this.index = index;
        this.sink = sink;
        this.store = store;
    }

    @Override
    public void punctuate(long nowMillis) {
        for (String gateway : liveness.expire(nowMillis, timeoutMillis)) {
            drop(gateway, nowMillis);
        }
    }

    private void drop(String gateway, long nowMillis) {
        TreeSet<String> keys = new TreeSet<>(index.removeGateway(gateway));
        keys.addAll(storedKeys(gateway));
        List<String> tombstones = new ArrayList<>(keys);
        tombstones.add(gateway); // its heartbeat
        // With nothing dropped here there is nothing to register again: another matcher's sweep
        // emptied the store first and told the gateway, and a second notice would make the gateway
        // register every subscription once more (seen in the fault drill's Kafka cut)
        sink.swept(gateway, tombstones, nowMillis, !keys.isEmpty());
        LOG.info("gateway {} silent for over {} ms: dropped {} subscriptions{}", gateway, timeoutMillis, keys.size(),
                keys.isEmpty() ? "" : " (it registers them again if it was only cut off)");
    }

    private List<String> storedKeys(String gateway) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.prefixScan(gateway + "/", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                keys.add(kv.key);
            }
        }
        return keys;
    }
}
