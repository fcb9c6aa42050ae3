package io.nostrex.matcher;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Filter;
import java.util.List;

/**
 * One subscription as the index holds it: its routing (gateway, connection, id, and its delivery
 * target ready as header bytes) and the filters that can match something. The fields the index sets
 * ({@code removed}, {@code slot}, {@code gateway index}, {@code reachedOnce}) are written only under
 * its write lock.
 */
final class LiveSubscription {
    final String key;
    final String gateway;
    final long connection;
    final String subscriptionId;
    final long version;
    final List<Filter> filters;
    /** {@code [conn,"id"]} as UTF-8 (see {@link Delivery#target}). */
    final byte[] target;
    boolean removed;
    /** A dense number, unique among live subscriptions: where a match marks it as already gathered. */
    int slot;
    /** The dense number of its gateway in the index. */
    int gatewayIndex;
    /**
     * Whether one event can reach it only once (one filter, filed so that an event meets it in one
     * bucket at most): then a match needs no check that it was already gathered.
     */
    boolean reachedOnce;

    LiveSubscription(SubscriptionRecord r) {
        this.key = r.key();
        this.gateway = r.gateway();
        this.connection = r.connection();
        this.subscriptionId = r.subscriptionId();
        this.version = r.version();
        this.filters = r.filters().stream().filter(f -> !f.matchesNothing()).toList();
        this.target = Delivery.target(connection, subscriptionId);
    }
}
