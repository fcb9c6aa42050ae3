package io.nostrex.validator;

import io.nostrex.protocol.ProofOfWork;
import java.util.ArrayList;
import java.util.List;

/** The default policies, in the order they run; each is one small value with its rejection prefix. */
public final class Policies {
    private Policies() {}

    /** Limits the policies enforce; also advertised in the NIP-11 document. */
    public record Limits(int maxContentLength, int maxTags, int maxTagValueLength, long maxFutureSeconds,
                         long maxAgeSeconds, int minPowDifficulty) {
        public static Limits defaults() {
            return new Limits(102_400, 2_500, 1_024, 900, 0, 0);
        }
    }

    public static List<Policy> defaults(Limits limits) {
        List<Policy> policies = new ArrayList<>();
        policies.add(new Policy("created_at_future", (e, now) -> e.createdAt() > now + limits.maxFutureSeconds()
                ? "invalid: created_at is more than " + limits.maxFutureSeconds() + " seconds in the future" : null));
        if (limits.maxAgeSeconds() > 0) {
            policies.add(new Policy("created_at_past", (e, now) -> e.createdAt() < now - limits.maxAgeSeconds()
                    ? "invalid: created_at is older than " + limits.maxAgeSeconds() + " seconds" : null));
        }
        policies.add(new Policy("content_length", (e, now) -> e.content().length() > limits.maxContentLength()
                ? "invalid: content is longer than " + limits.maxContentLength() + " characters" : null));
        policies.add(new Policy("tag_count", (e, now) -> e.tags().size() > limits.maxTags()
                ? "invalid: more than " + limits.maxTags() + " tags" : null));
        policies.add(new Policy("tag_value_length", (e, now) -> e.tags().stream().flatMap(List::stream)
                .anyMatch(v -> v.length() > limits.maxTagValueLength())
                ? "invalid: a tag value is longer than " + limits.maxTagValueLength() + " characters" : null));
        // NIP-42: relays must never broadcast AUTH events; sent as an EVENT, one would be (kind 22242 is ephemeral)
        policies.add(new Policy("auth_event", (e, now) -> e.kind() == 22242
                ? "invalid: AUTH events (kind 22242) are sent with the AUTH message, never published" : null));
        policies.add(new Policy("expired", (e, now) -> e.isExpiredAt(now) ? "invalid: event has expired (NIP-40)" : null));
        if (limits.minPowDifficulty() > 0) {
            policies.add(new Policy("pow", (e, now) -> ProofOfWork.difficulty(e.id()) < limits.minPowDifficulty()
                    ? "pow: difficulty " + ProofOfWork.difficulty(e.id()) + " is less than "
                    + limits.minPowDifficulty() : null));
        }
        return List.copyOf(policies);
    }

    /** A policy an event broke, and the reason the client is told. */
    public record Violation(String policy, String message) {}

    /** The first policy the event breaks, or null when it passes them all. */
    public static Violation firstViolation(List<Policy> policies, io.nostrex.protocol.Event event, long nowSeconds) {
        for (Policy p : policies) {
            String reason = p.violation(event, nowSeconds);
            if (reason != null) {
                return new Violation(p.name(), reason);
            }
        }
        return null;
    }
}
