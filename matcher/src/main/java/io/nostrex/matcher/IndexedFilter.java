package io.nostrex.matcher;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.Map;
import java.util.Set;

/**
 * A filter filed in the index, with the subscription it belongs to. Compared by identity. An event
 * reaches it only through a bucket of the field it is filed under, whose value the event has, so
 * that field needs no second look: most filters then come down to a check of the kind against a
 * small sorted array, and only filters with further conditions run {@link Filter#matches}.
 */
final class IndexedFilter {
    final Filter filter;
    final LiveSubscription owner;
    /** The filter's kinds, sorted; null when it has none. */
    private final int[] kinds;
    /** Whether the filed field and the kinds are all the filter asks. */
    private final boolean kindsDecide;

    /**
     * @param field where the filter is filed: "ids", "authors", "#x", "kinds" or "any" (see
     *     {@link FilterBuckets})
     */
    IndexedFilter(Filter filter, LiveSubscription owner, String field) {
        this.filter = filter;
        this.owner = owner;
        this.kinds = filter.kinds() == null ? null : filter.kinds().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.kindsDecide = onlyFiledFieldAndKinds(filter, field);
    }

    private static boolean onlyFiledFieldAndKinds(Filter f, String field) {
        if (f.since() != null || f.until() != null) {
            return false;
        }
        if (f.ids() != null && !field.equals("ids")) {
            return false;
        }
        if (f.authors() != null && !field.equals("authors")) {
            return false;
        }
        Map<Character, Set<String>> tags = f.tags();
        return tags.isEmpty() || (tags.size() == 1 && field.equals("#" + tags.keySet().iterator().next()));
    }

    /** Whether the event, which has a value this filter is filed under, matches the filter. */
    boolean matches(Event event) {
        if (kinds != null && !hasKind(event.kind())) {
            return false;
        }
        return kindsDecide || filter.matches(event);
    }

    private boolean hasKind(int kind) {
        for (int k : kinds) {
            if (k >= kind) {
                return k == kind;
            }
        }
        return false;
    }
}
