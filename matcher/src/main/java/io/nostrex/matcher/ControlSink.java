package io.nostrex.matcher;

import io.nostrex.contract.Delivery;

/**
 * The matcher's writes outside its Kafka Streams topology: subscription acknowledgements to the
 * gateways, and tombstones that clear the subscriptions of a gateway that went silent.
 */
public interface ControlSink {
    /** Tells the gateway that the index now holds this subscription version. */
    void ack(String gateway, Delivery.Ack ack);

    /** Ends a subscription (or a heartbeat) on the compacted subscriptions topic. */
    void tombstone(String subscriptionKey);
}
