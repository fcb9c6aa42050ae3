package io.nostrex.matcher;

import io.nostrex.contract.Delivery;
import java.util.List;

/**
 * The matcher's writes outside its Kafka Streams topology: subscription acknowledgements to the
 * gateways, the recent events a new subscription asked for, and tombstones that clear the
 * subscriptions of a gateway that went silent.
 */
public interface ControlSink {
    /** Tells the gateway that the index now holds this subscription version. */
    void ack(String gateway, Delivery.Ack ack);

    /** Sends the gateway an event for these targets outside the topology (the replay to a new subscription). */
    void deliver(String gateway, String eventJson, List<Delivery.Target> targets);

    /** Ends a subscription (or a heartbeat) on the compacted subscriptions topic. */
    void tombstone(String subscriptionKey);

    /**
     * Ends these subscriptions of a gateway gone silent (and its heartbeat key), then, once the
     * tombstones are on the topic and when {@code notify}, tells the gateway, in case it was only
     * cut off: it registers its subscriptions again when it reads the notice.
     */
    void swept(String gateway, java.util.Collection<String> keys, long sweptAtMillis, boolean notify);
}
