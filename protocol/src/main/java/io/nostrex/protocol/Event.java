package io.nostrex.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A Nostr event (NIP-01), immutable. Tags are lists of strings; there are no per-kind subclasses.
 * Parsing and checking live in {@link EventParser} and {@link EventVerifier}; this record only
 * answers questions about its own fields.
 */
public record Event(String id, String pubkey, long createdAt, int kind, List<List<String>> tags,
                    String content, String sig) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pubkey, "pubkey");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sig, "sig");
        List<List<String>> copy = new ArrayList<>(tags.size());
        for (List<String> tag : tags) {
            copy.add(List.copyOf(tag));
        }
        tags = List.copyOf(copy);
    }

    public KindClass kindClass() {
        return KindClass.of(kind);
    }

    /** Value (second element) of the first tag named {@code name}, or null. */
    public String firstTagValue(String name) {
        for (List<String> tag : tags) {
            if (tag.size() >= 2 && tag.get(0).equals(name)) {
                return tag.get(1);
            }
        }
        return null;
    }

    /** Values (second elements) of every tag named {@code name}, in order. */
    public List<String> tagValues(String name) {
        List<String> values = new ArrayList<>();
        for (List<String> tag : tags) {
            if (tag.size() >= 2 && tag.get(0).equals(name)) {
                values.add(tag.get(1));
            }
        }
        return values;
    }

    public boolean hasTag(String name) {
        for (List<String> tag : tags) {
            if (!tag.isEmpty() && tag.get(0).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code d} tag of an addressable event; "" when absent (NIP-01). */
    public String dTag() {
        String d = firstTagValue("d");
        return d == null ? "" : d;
    }

    /**
     * The address {@code kind:pubkey:d} under which a replaceable ("" for d) or addressable event is
     * replaced; null for regular and ephemeral kinds.
     */
    public String address() {
        return switch (kindClass()) {
            case REPLACEABLE -> kind + ":" + pubkey + ":";
            case ADDRESSABLE -> kind + ":" + pubkey + ":" + dTag();
            default -> null;
        };
    }

    /** NIP-40 expiration timestamp, empty when the tag is absent or not a non-negative integer. */
    public OptionalLong expiration() {
        String value = firstTagValue("expiration");
        if (value == null || value.isEmpty() || value.length() > 18) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(value));
    }

    /** True when the event carries a NIP-40 expiration at or before {@code nowSeconds}. */
    public boolean isExpiredAt(long nowSeconds) {
        OptionalLong exp = expiration();
        return exp.isPresent() && exp.getAsLong() <= nowSeconds;
    }

    /** NIP-70: the event carries the {@code ["-"]} tag and may only be published by its author. */
    public boolean isProtected() {
        for (List<String> tag : tags) {
            if (tag.size() == 1 && tag.get(0).equals("-")) {
                return true;
            }
        }
        return false;
    }
}
