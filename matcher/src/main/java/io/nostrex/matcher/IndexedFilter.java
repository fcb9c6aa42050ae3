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
    final int[] kinds;
    /** Whether the filed field and the kinds are all the filter asks. */
    final boolean kindsDecide;
    /**
     * Whether the filed field, the kinds and a {@code since} are all the filter asks: then it can sit
     * in a {@link TargetGroup}, which orders its members by since.
     */
    final boolean groupable;
    /** The filter's since, or {@link Long#MIN_VALUE} when it has none. */
    final long since;

    /**
     * @param field where the filter is filed: "ids", "authors", "#x", "kinds" or "any" (see
     *     {@link FilterBuckets})
     */
    IndexedFilter(Filter filter, LiveSubscription owner, String field) {
        this.filter = filter;
        this.owner = owner;
        this.kinds = filter.kinds() == null ? null : filter.kinds().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.groupable = filter.until() == null && filter.search() == null && onlyFiledFieldAndKinds(filter, field);
        this.kindsDecide = groupable && filter.since() == null;
        this.since = filter.since() == null ? Long.MIN_VALUE : filter.since();
    }

    /** Whether ids, authors and tags ask nothing beyond the field the filter is filed under. */
    private static boolean onlyFiledFieldAndKinds(Filter f, String field) {
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
        if (kinds != null && !hasKind(kinds, event.kind())) {
            return false;
        }
        return kindsDecide || filter.matches(event);
    }

    /** Whether sorted {@code kinds} holds {@code kind}. */
    static boolean hasKind(int[] kinds, int kind) {
        for (int k : kinds) {
            if (k >= kind) {
                return k == kind;
            }
        }
        return false;
    }
}
