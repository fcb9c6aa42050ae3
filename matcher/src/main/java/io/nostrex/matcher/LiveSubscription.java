package io.nostrex.matcher;

import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Filter;
import java.util.List;

/**
 * One subscription as the index holds it: its routing (gateway, connection, id) and the filters that
 * can match something. {@code removed} is read and written only under the index's write lock; it
 * marks the filters that bucket compaction drops.
 */
final class LiveSubscription {
    final String key;
    final String gateway;
    final long connection;
    final String subscriptionId;
    final long version;
    final List<Filter> filters;
    boolean removed;
    /** Its connection's routing, set when the index files it; written under the index's write lock. */
    SubscriptionIndex.ConnectionRoute route;

    LiveSubscription(SubscriptionRecord r) {
        this.key = r.key();
        this.gateway = r.gateway();
        this.connection = r.connection();
        this.subscriptionId = r.subscriptionId();
        this.version = r.version();
        this.filters = r.filters().stream().filter(f -> !f.matchesNothing()).toList();
    }
}
