package io.nostrex.store;

import io.nostrex.protocol.Deletion;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.KindClass;
import io.nostrex.protocol.Vanish;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, in memory and in order, what a batch does: the outcome of each event and the writes that
 * bring the database to the state that storing the events one by one would leave. A pure function of
 * the batch and a {@link Snapshot}; the rules:
 * <ol>
 *   <li>ephemeral kinds are never stored;</li>
 *   <li>an event its author deleted (by id, or by address up to its created_at) is refused, even if
 *       it was stored before; deletion requests themselves cannot be deleted;</li>
 *   <li>an id accepted before is a duplicate;</li>
 *   <li>a replaceable or addressable event older than the version held is not stored (ties: lowest id);
 *       a newer one replaces it;</li>
 *   <li>a deletion request is stored and deletes its author's targets;</li>
 *   <li>an event the operators banned, or whose author they banned, is refused (a request to vanish
 *       is not: it is followed whoever sends it);</li>
 *   <li>an event whose author vanished (NIP-62) at or after its created_at, or a gift wrap addressed
 *       to such a pubkey, is refused; a request to vanish from this relay is stored and deletes them.
 *       Requests to vanish cannot be deleted.</li>
 * </ol>
 */
final class BatchPlanner {
    private final Set<String> known;
    private final Map<String, Set<String>> deletedIds;
    private final Map<String, Long> deletedAddresses;
    private final Map<String, Version> current;
    private final Map<String, String> currentAddressById = new HashMap<>();
    private final Map<String, Event> pending = new LinkedHashMap<>();
    private final List<StoreOutcome> outcomes = new ArrayList<>();
    private final List<Event> newIds = new ArrayList<>();
    private final Set<String> cleared = new LinkedHashSet<>();
    private final List<BatchPlan.IdDeletion> idDeletions = new ArrayList<>();
    private final List<BatchPlan.AddressDeletion> addressDeletions = new ArrayList<>();
    private final Map<String, Long> vanished;
    private final List<BatchPlan.Vanishing> vanishings = new ArrayList<>();
    private final java.util.function.Predicate<Event> vanishesHere;
    private final java.util.function.Predicate<Event> banned;

    private BatchPlanner(Snapshot snapshot, java.util.function.Predicate<Event> vanishesHere,
                         java.util.function.Predicate<Event> banned) {
        this.vanishesHere = vanishesHere;
        this.banned = banned;
        vanished = new HashMap<>(snapshot.vanished());
        known = new HashSet<>(snapshot.knownIds());
        deletedIds = new HashMap<>();
        snapshot.deletedIds().forEach((id, pubkeys) -> deletedIds.put(id, new HashSet<>(pubkeys)));
        deletedAddresses = new HashMap<>(snapshot.deletedAddresses());
        current = new HashMap<>(snapshot.currentVersions());
        current.forEach((address, version) -> currentAddressById.put(version.id(), address));
    }

    static BatchPlan plan(List<Event> batch, Snapshot snapshot) {
        return plan(batch, snapshot, Set.of());
    }

    static BatchPlan plan(List<Event> batch, Snapshot snapshot, Set<String> relayUrls) {
        return plan(batch, snapshot, e -> Vanish.isRequestTo(e, relayUrls), e -> false);
    }

    /**
     * @param vanishesHere which kind-62 events are requests to vanish from this relay (NIP-62)
     * @param banned the events the relay's operators banned, or whose author they banned (NIP-86)
     */
    static BatchPlan plan(List<Event> batch, Snapshot snapshot, java.util.function.Predicate<Event> vanishesHere,
                          java.util.function.Predicate<Event> banned) {
        BatchPlanner planner = new BatchPlanner(snapshot, vanishesHere, banned);
        for (Event event : batch) {
            planner.outcomes.add(planner.decide(event));
        }
        return new BatchPlan(List.copyOf(planner.outcomes), List.copyOf(planner.newIds),
                List.copyOf(planner.pending.values()), Set.copyOf(planner.cleared),
                List.copyOf(planner.idDeletions), List.copyOf(planner.addressDeletions), List.copyOf(planner.vanishings));
    }

    private StoreOutcome decide(Event e) {
        if (e.kindClass() == KindClass.EPHEMERAL) {
            return StoreOutcome.EPHEMERAL;
        }
        if (e.kind() != Vanish.KIND && banned.test(e)) {
            return StoreOutcome.BANNED;
        }
        if (isVanished(e)) {
            return StoreOutcome.VANISHED;
        }
        if (isDeleted(e)) {
            return StoreOutcome.DELETED;
        }
        if (!known.add(e.id())) {
            return StoreOutcome.DUPLICATE;
        }
        newIds.add(e);
        String address = e.address();
        if (address != null && !becomesCurrent(address, e)) {
            return StoreOutcome.REPLACED_BY_NEWER;
        }
        pending.put(e.id(), e);
        if (e.kind() == Deletion.KIND) {
            applyDeletion(e, Deletion.of(e));
        }
        if (e.kind() == Vanish.KIND && vanishesHere.test(e)) {
            vanish(e);
        }
        return StoreOutcome.STORED;
    }

    private boolean isVanished(Event e) {
        if (e.kind() == Vanish.KIND) {
            return false; // a request to vanish is never refused for one before it: the same one is a duplicate
        }
        Long until = vanished.get(e.pubkey());
        if (until != null && e.createdAt() <= until) {
            return true;
        }
        for (String recipient : Vanish.giftWrapRecipients(e)) {
            until = vanished.get(recipient);
            if (until != null && e.createdAt() <= until) {
                return true;
            }
        }
        return false;
    }

    /** Applies a request to vanish: what the batch holds of its author is left out, the rest deleted. */
    private void vanish(Event request) {
        String pubkey = request.pubkey();
        long until = request.createdAt();
        vanished.merge(pubkey, until, Math::max);
        vanishings.add(new BatchPlan.Vanishing(pubkey, until, request.id()));
        pending.values().removeIf(this::isVanished);
        current.entrySet().removeIf(entry -> {
            Version held = entry.getValue();
            boolean gone = held.pubkey().equals(pubkey) && held.createdAt() <= until && !held.id().equals(request.id());
            if (gone) {
                currentAddressById.remove(held.id());
            }
            return gone;
        });
    }

    private boolean isDeleted(Event e) {
        if (e.kind() == Deletion.KIND || e.kind() == Vanish.KIND) {
            return false;
        }
        Set<String> requesters = deletedIds.get(e.id());
        if (requesters != null && requesters.contains(e.pubkey())) {
            return true;
        }
        Long until = e.address() == null ? null : deletedAddresses.get(e.address());
        return until != null && e.createdAt() <= until;
    }

    /** Makes e the version held at its address unless the one held beats it. */
    private boolean becomesCurrent(String address, Event e) {
        Version incoming = Version.pending(e);
        Version held = current.get(address);
        if (held != null && !incoming.beats(held)) {
            return false;
        }
        if (held != null) {
            drop(address, held);
        }
        current.put(address, incoming);
        currentAddressById.put(incoming.id(), address);
        return true;
    }

    /** Removes the version held at an address: left out of the inserts, or deleted from the database. */
    private void drop(String address, Version held) {
        current.remove(address);
        currentAddressById.remove(held.id());
        if (held.pending()) {
            pending.remove(held.id());
        } else {
            cleared.add(address);
        }
    }

    private void applyDeletion(Event request, Deletion deletion) {
        for (String id : deletion.eventIds()) {
            deleteById(request, id);
        }
        for (String a : deletion.addresses()) {
            String address = Addresses.normalize(a);
            if (address != null && Deletion.addressPubkey(a).equals(request.pubkey())) {
                deleteByAddress(request, address);
            }
        }
    }

    private void deleteById(Event request, String id) {
        deletedIds.computeIfAbsent(id, k -> new HashSet<>()).add(request.pubkey());
        idDeletions.add(new BatchPlan.IdDeletion(id, request.pubkey(), request.id()));
        Event target = pending.get(id);
        if (target != null && target.pubkey().equals(request.pubkey()) && target.kind() != Deletion.KIND
                && target.kind() != Vanish.KIND) {
            pending.remove(id);
        }
        String address = currentAddressById.get(id);
        if (address != null && current.get(address).pubkey().equals(request.pubkey())) {
            current.remove(address);
            currentAddressById.remove(id);
        }
    }

    private void deleteByAddress(Event request, String address) {
        long until = request.createdAt();
        deletedAddresses.merge(address, until, Math::max);
        addressDeletions.add(new BatchPlan.AddressDeletion(address, until, request.id()));
        pending.values().removeIf(e -> address.equals(e.address()) && e.createdAt() <= until);
        Version held = current.get(address);
        if (held != null && held.createdAt() <= until) {
            current.remove(address);
            currentAddressById.remove(held.id());
        }
    }
}
