package io.nostrex.store;

import io.nostrex.protocol.Event;
import java.util.List;
import java.util.Set;

/**
 * The writes that apply one batch, computed in memory by {@link BatchPlanner}. Applied in this order:
 * record {@code newIds}; delete the stored versions at {@code clearedAddresses} and the targets of
 * {@code idDeletions} and {@code addressDeletions}; record the deletions; delete and record what
 * {@code vanishings} ask; insert {@code inserts}.
 * Deletes touch only rows stored before the batch: events of the batch that end up replaced or deleted
 * are simply left out of {@code inserts}.
 */
record BatchPlan(List<StoreOutcome> outcomes, List<Event> newIds, List<Event> inserts,
                 Set<String> clearedAddresses, List<IdDeletion> idDeletions,
                 List<AddressDeletion> addressDeletions, List<Vanishing> vanishings) {

    /** A kind-5 {@code e} target: deletes event {@code id} if its author is {@code pubkey}. */
    record IdDeletion(String id, String pubkey, String deletionId) {}

    /** A kind-5 {@code a} target: deletes the versions at {@code address} with created_at <= {@code until}. */
    record AddressDeletion(String address, long until, String deletionId) {}

    /**
     * A NIP-62 request to vanish: deletes the events of {@code pubkey} and the gift wraps addressed to
     * it with created_at <= {@code until}, except the request itself.
     */
    record Vanishing(String pubkey, long until, String requestId) {}
}
