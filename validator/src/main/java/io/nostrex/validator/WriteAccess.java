package io.nostrex.validator;

import io.nostrex.contract.PolicyView;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Vanish;
import java.util.Set;

/**
 * Who may publish, judged with the pubkeys the sending connection had authenticated as (NIP-42),
 * which the gateway puts on the ingress record. In order:
 * <ol>
 * <li>NIP-70: an event with the {@code ["-"]} tag only from a connection authenticated as its
 *     author ({@code auth-required:} when it has not authenticated, {@code restricted:} when it
 *     has, as someone else);</li>
 * <li>{@code authRequired}: only from authenticated connections;</li>
 * <li>the operators' bans (NIP-86, {@link PolicyView}): no event they banned, none by a pubkey they
 *     banned;</li>
 * <li>{@code allowedPubkeys} and the pubkeys the operators allowed, when either is not empty: only
 *     events whose author is on one of the lists, whoever sends them.</li>
 * </ol>
 * A NIP-62 request to vanish passes the last two: relays that restrict who may post must follow it
 * whoever sends it. An event without an origin (an import through Kafka) has authenticated as no one.
 */
public record WriteAccess(boolean authRequired, Set<String> allowedPubkeys) {
    public WriteAccess {
        allowedPubkeys = Set.copyOf(allowedPubkeys);
    }

    /** Anyone may publish; protected events only from their authenticated author. */
    public static WriteAccess open() {
        return new WriteAccess(false, Set.of());
    }

    /** Writes are restricted beyond NIP-70 (NIP-11 {@code restricted_writes}). */
    public boolean restricted() {
        return authRequired || !allowedPubkeys.isEmpty();
    }

    /** The first rule the event breaks when sent by a connection authenticated as {@code authenticated}, or null. */
    public Policies.Violation violation(Event e, Set<String> authenticated) {
        return violation(e, authenticated, NO_POLICY);
    }

    private static final PolicyView NO_POLICY = new PolicyView();

    /** As {@link #violation(Event, Set)}, with the operators' policy. */
    public Policies.Violation violation(Event e, Set<String> authenticated, PolicyView policy) {
        if (e.isProtected() && !authenticated.contains(e.pubkey())) {
            return new Policies.Violation("protected", authenticated.isEmpty()
                    ? "auth-required: this event is protected (NIP-70); authenticate as its author to publish it"
                    : "restricted: this event is protected (NIP-70) and this connection is not authenticated as its author");
        }
        if (e.kind() == Vanish.KIND) {
            return null;
        }
        if (authRequired && authenticated.isEmpty()) {
            return new Policies.Violation("auth_required",
                    "auth-required: this relay accepts events only from authenticated users (NIP-42)");
        }
        if (policy.isBannedPubkey(e.pubkey())) {
            return new Policies.Violation("banned", "blocked: this pubkey is banned from this relay");
        }
        if (policy.isBannedEvent(e.id())) {
            return new Policies.Violation("banned", "blocked: this event is banned from this relay");
        }
        Set<String> allowedByAdmins = policy.allowedPubkeys();
        if ((!allowedPubkeys.isEmpty() || !allowedByAdmins.isEmpty())
                && !allowedPubkeys.contains(e.pubkey()) && !allowedByAdmins.contains(e.pubkey())) {
            return new Policies.Violation("allow_list",
                    "restricted: this relay accepts events only from the pubkeys on its allow list");
        }
        return null;
    }
}
