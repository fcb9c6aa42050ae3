package io.nostrex.matcher;

import io.nostrex.contract.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link ControlSink} that remembers what it was asked to send. */
final class RecordingSink implements ControlSink {
    final List<Map.Entry<String, Delivery.Ack>> acks = new ArrayList<>();
    final List<String> tombstones = new ArrayList<>();
    /** Sweep notices: gateway and the matcher's clock then. */
    final List<Map.Entry<String, Long>> sweeps = new ArrayList<>();
    /** Replayed events: gateway, event JSON and targets. */
    final List<Map.Entry<String, Map.Entry<String, List<Delivery.Target>>>> replayed = new ArrayList<>();

    @Override
    public synchronized void deliver(String gateway, String eventJson, List<Delivery.Target> targets) {
        replayed.add(Map.entry(gateway, Map.entry(eventJson, List.copyOf(targets))));
    }

    @Override
    public synchronized void ack(String gateway, Delivery.Ack ack) {
        acks.add(Map.entry(gateway, ack));
    }

    @Override
    public synchronized void tombstone(String subscriptionKey) {
        tombstones.add(subscriptionKey);
    }

    @Override
    public synchronized void swept(String gateway, java.util.Collection<String> keys, long sweptAtMillis,
                                   boolean notify) {
        tombstones.addAll(keys);
        if (notify) {
            sweeps.add(Map.entry(gateway, sweptAtMillis));
        }
    }
}
