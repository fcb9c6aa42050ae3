package io.nostrex.protocol;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A NIP-01 filter. A null field is absent and matches anything; an empty set matches nothing. Fields
 * are ANDed, the values inside a field ORed; since and until are inclusive. Tag conditions are keyed
 * by their single letter (the {@code x} of {@code "#x"}), never by the {@code "#x"} spelling.
 * {@code limit} bounds only the stored events sent before EOSE; it plays no part in matching.
 * Build one with {@link FilterParser}.
 */
public record Filter(Set<String> ids, Set<String> authors, Set<Integer> kinds, Map<Character, Set<String>> tags,
                     Long since, Long until, Integer limit, String search) {

    /** The order in which stored events are returned: newest first, ties broken by the lowest id. */
    public static final Comparator<Event> NEWEST_FIRST =
            Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id);

    public Filter {
        ids = ids == null ? null : Set.copyOf(ids);
        authors = authors == null ? null : Set.copyOf(authors);
        kinds = kinds == null ? null : Set.copyOf(kinds);
        TreeMap<Character, Set<String>> sorted = new TreeMap<>();
        if (tags != null) {
            tags.forEach((letter, values) -> sorted.put(letter, Set.copyOf(values)));
        }
        tags = java.util.Collections.unmodifiableMap(sorted);
    }

    /** A filter with no conditions: matches every event. */
    public static Filter any() {
        return new Filter(null, null, null, Map.of(), null, null, null, null);
    }

    public Filter withLimit(Integer newLimit) {
        return new Filter(ids, authors, kinds, tags, since, until, newLimit, search);
    }

    /** True when the event satisfies every condition of this filter, NIP-50 search included ({@link SearchWords}). */
    public boolean matches(Event e) {
        return (ids == null || ids.contains(e.id()))
                && (authors == null || authors.contains(e.pubkey()))
                && (kinds == null || kinds.contains(e.kind()))
                && (since == null || e.createdAt() >= since)
                && (until == null || e.createdAt() <= until)
                && tagsMatch(e)
                && (search == null || SearchWords.matches(e, search));
    }

    /** True when the filter can match no event at all (an empty list, or since after until). */
    public boolean matchesNothing() {
        if ((ids != null && ids.isEmpty()) || (authors != null && authors.isEmpty())
                || (kinds != null && kinds.isEmpty()) || (since != null && until != null && since > until)) {
            return true;
        }
        return tags.values().stream().anyMatch(Set::isEmpty);
    }

    private boolean tagsMatch(Event e) {
        for (Map.Entry<Character, Set<String>> condition : tags.entrySet()) {
            if (!hasTagValueIn(e, condition.getKey(), condition.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasTagValueIn(Event e, char letter, Set<String> values) {
        for (List<String> tag : e.tags()) {
            if (tag.size() >= 2 && tag.get(0).length() == 1 && tag.get(0).charAt(0) == letter
                    && values.contains(tag.get(1))) {
                return true;
            }
        }
        return false;
    }

    /** True when any of the filters matches (filters of one REQ are ORed). */
    public static boolean anyMatches(List<Filter> filters, Event e) {
        for (Filter f : filters) {
            if (f.matches(e)) {
                return true;
            }
        }
        return false;
    }
}
