package io.nostrex.validator;

import io.nostrex.contract.PolicyView;
import io.nostrex.protocol.Deletion;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.KindClass;
import io.nostrex.protocol.Vanish;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides one event: shape, id, signature, policies, and recent duplicates. Pure: it holds a bounded
 * cache of recently accepted ids, so a burst of the same event stops here; older duplicates and
 * deleted events are recognised by the archiver, which is the authority on what is stored. Not
 * thread-safe: one per consumer thread.
 */
public final class EventJudge {
    private static final String DUPLICATE = "duplicate: already have this event";

    private final EventVerifier verifier;
    private final List<Policy> policies;
    private final WriteAccess access;
    private final PolicyView policy;
    private final PubkeyRate rate;
    private final Map<String, Boolean> recent;

    public EventJudge(EventVerifier verifier, List<Policy> policies, int recentCapacity) {
        this(verifier, policies, WriteAccess.open(), recentCapacity);
    }

    public EventJudge(EventVerifier verifier, List<Policy> policies, WriteAccess access, int recentCapacity) {
        this(verifier, policies, access, new PolicyView(), recentCapacity);
    }

    /** With the operators' policy (NIP-86 bans and allowed pubkeys) as this process reads it. */
    public EventJudge(EventVerifier verifier, List<Policy> policies, WriteAccess access, PolicyView policy,
                      int recentCapacity) {
        this(verifier, policies, access, policy, 0, recentCapacity);
    }

    /** @param eventsPerPubkeyPerSecond the most events one author may publish per second (0: no limit) */
    public EventJudge(EventVerifier verifier, List<Policy> policies, WriteAccess access, PolicyView policy,
                      int eventsPerPubkeyPerSecond, int recentCapacity) {
        this.rate = new PubkeyRate(eventsPerPubkeyPerSecond, 100_000);
        this.verifier = verifier;
        this.policies = policies;
        this.access = access;
        this.policy = policy;
        this.recent = new LinkedHashMap<>(1024, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > recentCapacity;
            }
        };
    }

    /** Judges an event sent by a connection that has not authenticated. */
    public Judgement judge(String eventJson, String keyId, long nowSeconds) {
        return judge(eventJson, keyId, nowSeconds, Set.of());
    }

    /** Judges an event sent by a connection authenticated (NIP-42) as {@code authenticated}. */
    public Judgement judge(String eventJson, String keyId, long nowSeconds, Set<String> authenticated) {
        Event event;
        try {
            event = EventParser.parse(eventJson);
        } catch (InvalidEventException e) {
            return new Judgement(Judgement.Outcome.REJECT, null, keyId, e.getMessage(), "malformed");
        }
        try {
            verifier.verify(event);
        } catch (InvalidEventException e) {
            return new Judgement(Judgement.Outcome.REJECT, null, keyId, e.getMessage(),
                    EventVerifier.BAD_SIGNATURE.equals(e.getMessage()) ? "signature" : "id");
        }
        Policies.Violation violation = access.violation(event, authenticated, policy);
        if (violation == null) {
            violation = Policies.firstViolation(policies, event, nowSeconds);
        }
        if (violation != null) {
            return new Judgement(Judgement.Outcome.REJECT, event, event.id(), violation.message(), violation.policy());
        }
        if (recent.containsKey(event.id())) {
            return new Judgement(Judgement.Outcome.DUPLICATE, event, event.id(), DUPLICATE);
        }
        // after the signature, so that no one can spend another author's allowance
        if (!rate.tryAcquire(event.pubkey())) {
            return new Judgement(Judgement.Outcome.REJECT, event, event.id(), "rate-limited: this author may publish "
                    + rate.perSecond() + " events per second on this relay; slow down", "rate_limited");
        }
        if (event.kindClass() == KindClass.EPHEMERAL) {
            return new Judgement(Judgement.Outcome.ACCEPT_EPHEMERAL, event, event.id(), "");
        }
        recent.put(event.id(), Boolean.TRUE);
        if (event.kind() == Deletion.KIND) {
            // a deleted event sent again must reach the archiver, which answers "blocked:"
            Deletion.of(event).eventIds().forEach(recent::remove);
        } else if (event.kind() == Vanish.KIND) {
            // so must the events a request to vanish deletes (its author's, gift wraps to it): rare enough to forget all
            recent.clear();
            recent.put(event.id(), Boolean.TRUE);
        }
        return new Judgement(Judgement.Outcome.ACCEPT_STORED, event, event.id(), "");
    }
}
