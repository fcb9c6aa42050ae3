package io.nostrex.store;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Hex;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The indexed form of single-letter tags: {@code "e:<value>"} in a GIN-indexed text[] column, so
 * {@code #e} filters are an array overlap ({@code &&}), not a scan. Values too long for an index
 * entry, or holding a NUL (which PostgreSQL text cannot), are keyed by {@code "#" + sha256 hex} of
 * {@code "e:<value>"}; filters are keyed the same way, so matching stays exact.
 */
final class TagIndex {
    static final int MAX_PLAIN_VALUE = 256;

    private TagIndex() {}

    /** The key of a tag whose name is the single character {@code letter}. */
    static String key(char letter, String value) {
        String plain = letter + ":" + value;
        if (value.length() <= MAX_PLAIN_VALUE && plain.indexOf('\0') < 0) {
            return plain;
        }
        return "#" + Hex.encode(Digests.sha256(plain));
    }

    /** The keys of every tag of the event with a one-character name and a value, without repeats. */
    static String[] keys(Event event) {
        Set<String> keys = new LinkedHashSet<>();
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).length() == 1) {
                keys.add(key(tag.get(0).charAt(0), tag.get(1)));
            }
        }
        return keys.toArray(String[]::new);
    }
}
