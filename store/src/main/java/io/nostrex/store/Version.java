package io.nostrex.store;

import io.nostrex.protocol.Event;

/** One version of a replaceable or addressable event; {@code pending} when it comes from the batch being planned. */
record Version(String id, String pubkey, long createdAt, boolean pending) {

    static Version pending(Event e) {
        return new Version(e.id(), e.pubkey(), e.createdAt(), true);
    }

    /** NIP-01: the newer version wins; on equal created_at, the lowest id. */
    boolean beats(Version other) {
        return createdAt > other.createdAt || (createdAt == other.createdAt && id.compareTo(other.id) < 0);
    }
}
