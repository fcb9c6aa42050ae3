package io.nostrex.protocol.auth;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.List;
import java.util.Set;

/**
 * Who a connection may read private events as. Events of a private kind (NIP-04 direct messages,
 * NIP-59 gift wraps by default) are served only to a connection authenticated (NIP-42) as their
 * author or as one of their {@code p}-tagged recipients; every other event is public.
 *
 * @param privateKinds the kinds served only to their parties
 * @param pubkeys the pubkeys the connection has authenticated as (empty: none)
 */
public record ReadAccess(Set<Integer> privateKinds, Set<String> pubkeys) {
    /** Kind 4 (NIP-04 direct messages) and kind 1059 (NIP-59 gift wraps). */
    public static final Set<Integer> DEFAULT_PRIVATE_KINDS = Set.of(4, 1059);

    public ReadAccess {
        privateKinds = Set.copyOf(privateKinds);
        pubkeys = Set.copyOf(pubkeys);
    }

    /** Access for a connection that has not authenticated. */
    public static ReadAccess anonymous(Set<Integer> privateKinds) {
        return new ReadAccess(privateKinds, Set.of());
    }

    /** The same access, also authenticated as {@code pubkey}. */
    public ReadAccess with(String pubkey) {
        if (pubkeys.contains(pubkey)) {
            return this;
        }
        java.util.Set<String> more = new java.util.HashSet<>(pubkeys);
        more.add(pubkey);
        return new ReadAccess(privateKinds, more);
    }

    public boolean isPrivate(int kind) {
        return privateKinds.contains(kind);
    }

    /** Whether the event may be sent on this connection. */
    public boolean mayRead(Event e) {
        if (!isPrivate(e.kind())) {
            return true;
        }
        if (pubkeys.isEmpty()) {
            return false;
        }
        if (pubkeys.contains(e.pubkey())) {
            return true;
        }
        for (List<String> tag : e.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals("p") && pubkeys.contains(tag.get(1))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the filter could match an event of a private kind. */
    public boolean mayMatchPrivate(Filter f) {
        if (privateKinds.isEmpty() || f.matchesNothing()) {
            return false;
        }
        return f.kinds() == null || f.kinds().stream().anyMatch(privateKinds::contains);
    }

    /** Whether the filter asks for private kinds and nothing else. */
    public boolean asksOnlyPrivate(Filter f) {
        return f.kinds() != null && !f.kinds().isEmpty() && privateKinds.containsAll(f.kinds());
    }
}
