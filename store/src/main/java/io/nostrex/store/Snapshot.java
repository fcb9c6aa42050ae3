package io.nostrex.store;

import java.util.Map;
import java.util.Set;

/**
 * What the database holds that matters to one batch, read before planning it: which of its ids are
 * already known, which are deleted (id to the pubkeys that asked), which of its addresses are deleted
 * (address to the created_at up to which), the version stored at each of its addresses, and which of
 * its authors and gift-wrap recipients vanished (NIP-62; pubkey to the created_at up to which).
 */
record Snapshot(Set<String> knownIds, Map<String, Set<String>> deletedIds,
                Map<String, Long> deletedAddresses, Map<String, Version> currentVersions,
                Map<String, Long> vanished) {

    static Snapshot empty() {
        return new Snapshot(Set.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }
}
