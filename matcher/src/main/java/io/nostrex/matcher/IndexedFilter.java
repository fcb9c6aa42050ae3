package io.nostrex.matcher;

import io.nostrex.protocol.Filter;

/** A filter filed in the index, with the subscription it belongs to. Compared by identity. */
final class IndexedFilter {
    final Filter filter;
    final LiveSubscription owner;

    IndexedFilter(Filter filter, LiveSubscription owner) {
        this.filter = filter;
        this.owner = owner;
    }
}
