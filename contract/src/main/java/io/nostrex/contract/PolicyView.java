package io.nostrex.contract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The relay's moderation policy (NIP-86) as this process has read it from {@code nostr.policy}:
 * banned pubkeys and events, allowed pubkeys, blocked IPs, and the relay's name, description and
 * icon when an admin changed them. Thread-safe; filled by a {@link PolicyReader}.
 */
public final class PolicyView {
    private final Map<PolicyRecord.Kind, Map<String, PolicyRecord>> entries = new EnumMap<>(PolicyRecord.Kind.class);
    private final List<Consumer<PolicyRecord>> listeners = new CopyOnWriteArrayList<>();

    public PolicyView() {
        for (PolicyRecord.Kind k : PolicyRecord.Kind.values()) {
            entries.put(k, new ConcurrentHashMap<>());
        }
    }

    public boolean isBannedPubkey(String pubkey) {
        return entries.get(PolicyRecord.Kind.BAN_PUBKEY).containsKey(pubkey);
    }

    public boolean isBannedEvent(String id) {
        return entries.get(PolicyRecord.Kind.BAN_EVENT).containsKey(id);
    }

    public boolean isBlockedIp(String ip) {
        return entries.get(PolicyRecord.Kind.BLOCK_IP).containsKey(ip);
    }

    /** The pubkeys admins allowed (empty: the policy restricts no one by an allow list). */
    public Set<String> allowedPubkeys() {
        return Set.copyOf(entries.get(PolicyRecord.Kind.ALLOW_PUBKEY).keySet());
    }

    /** The entries of one kind, oldest first. */
    public List<PolicyRecord> list(PolicyRecord.Kind kind) {
        List<PolicyRecord> list = new ArrayList<>(entries.get(kind).values());
        list.sort(Comparator.comparingLong(PolicyRecord::atMillis).thenComparing(PolicyRecord::subject));
        return list;
    }

    /** The value an admin set for the relay's name, description or icon; null when none. */
    public String relayField(PolicyRecord.Kind kind) {
        PolicyRecord r = entries.get(kind).get("");
        return r == null ? null : r.value();
    }

    /**
     * Called with every entry applied afterwards (an entry lifted comes with a null {@code by});
     * running the returned action stops the calls.
     */
    public Runnable onChange(Consumer<PolicyRecord> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Applies one record of the topic: an entry set, or lifted when {@code by} is null (a tombstone). */
    public void apply(PolicyRecord r) {
        if (r.by() == null) {
            entries.get(r.kind()).remove(r.subject());
        } else {
            entries.get(r.kind()).put(r.subject(), r);
        }
        for (Consumer<PolicyRecord> l : listeners) {
            l.accept(r);
        }
    }
}
