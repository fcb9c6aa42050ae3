package io.nostrex.matcher;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The buckets of the subscription index. Each filter is filed under every value of its most
 * selective field: ids, then authors, then a {@code #e} or {@code #p} tag, then another tag, then
 * kinds; a filter with none of these goes to the "any" bucket. An event looks up the buckets of its
 * id, its pubkey, each of its single-letter tags and its kind, plus "any", each bucket once (an event
 * may repeat a tag); each candidate is confirmed (see {@link Bucket}). Not thread-safe:
 * {@link SubscriptionIndex} guards it.
 */
final class FilterBuckets {
    private static final Set<String> ANY_KEY = Set.of("");
    private static final int ASCII = 128;

    private final Map<Object, Bucket> ids = new HashMap<>();
    private final Map<Object, Bucket> authors = new HashMap<>();
    private final List<Map<Object, Bucket>> tags = tagMaps();
    private final Map<Object, Bucket> kinds = new HashMap<>();
    private final Map<Object, Bucket> any = new HashMap<>();
    private final DenseNumbers bucketIds = new DenseNumbers();

    /** Where a filter is filed: the field's name, its buckets, and the values filed under. */
    private record Slot(String field, Map<Object, Bucket> buckets, Set<?> values) {}

    private static List<Map<Object, Bucket>> tagMaps() {
        List<Map<Object, Bucket>> maps = new ArrayList<>(ASCII);
        for (int i = 0; i < ASCII; i++) {
            maps.add(new HashMap<>());
        }
        return List.copyOf(maps);
    }

    void add(Filter filter, LiveSubscription owner) {
        Slot slot = slotOf(filter);
        IndexedFilter entry = new IndexedFilter(filter, owner, slot.field());
        for (Object value : slot.values()) {
            slot.buckets().computeIfAbsent(value, v -> new Bucket(bucketIds.take())).add(entry);
        }
    }

    /**
     * Whether an event can meet this filter in one bucket at most: true unless it is filed under a
     * tag with several values (an event can carry several of them; ids, pubkey and kind it has once).
     */
    boolean reachedOnce(Filter filter) {
        Slot slot = slotOf(filter);
        return !slot.field().startsWith("#") || slot.values().size() == 1;
    }

    /** Drops the filters of these subscriptions, already marked removed, compacting each bucket once. */
    void removeAll(Collection<LiveSubscription> removed) {
        Map<Bucket, Runnable> touched = new IdentityHashMap<>();
        for (LiveSubscription sub : removed) {
            for (Filter filter : sub.filters) {
                Slot slot = slotOf(filter);
                for (Object value : slot.values()) {
                    Bucket bucket = slot.buckets().get(value);
                    if (bucket != null) {
                        touched.putIfAbsent(bucket, () -> {
                            slot.buckets().remove(value);
                            bucketIds.give(bucket.id);
                        });
                    }
                }
            }
        }
        touched.forEach((bucket, drop) -> {
            if (bucket.compact()) {
                drop.run();
            }
        });
    }

    /**
     * Hands {@code gather} the target of every filter matching the event; a subscription that is not
     * {@link LiveSubscription#reachedOnce} may come more than once (two of its filters, or one filed
     * under two values the event both has), and the gather keeps it once.
     */
    void collect(Event event, Gather gather) {
        collect(ids, event.id(), event, gather);
        collect(authors, event.pubkey(), event, gather);
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).length() == 1 && tag.get(0).charAt(0) < ASCII) {
                collect(tags.get(tag.get(0).charAt(0)), tag.get(1), event, gather);
            }
        }
        collect(kinds, event.kind(), event, gather);
        collect(any, "", event, gather);
    }

    private static void collect(Map<Object, Bucket> buckets, Object value, Event event, Gather gather) {
        Bucket bucket = buckets.isEmpty() ? null : buckets.get(value);
        if (bucket != null && gather.firstVisit(bucket)) {
            bucket.collect(event, gather);
        }
    }

    /** The name of the field a filter is filed under: ids, authors, #x, kinds or any. */
    String fieldOf(Filter filter) {
        return slotOf(filter).field();
    }

    private Slot slotOf(Filter f) {
        if (f.ids() != null) {
            return new Slot("ids", ids, f.ids());
        }
        if (f.authors() != null) {
            return new Slot("authors", authors, f.authors());
        }
        Character letter = tagLetter(f);
        if (letter != null) {
            return new Slot("#" + letter, tags.get(letter.charValue()), f.tags().get(letter));
        }
        if (f.kinds() != null) {
            return new Slot("kinds", kinds, f.kinds());
        }
        return new Slot("any", any, ANY_KEY);
    }

    /** #e, else #p, else the first other ASCII tag letter of the filter; null when it has none. */
    private static Character tagLetter(Filter f) {
        if (f.tags().containsKey('e')) {
            return 'e';
        }
        if (f.tags().containsKey('p')) {
            return 'p';
        }
        for (Character letter : f.tags().keySet()) {
            if (letter < ASCII) {
                return letter;
            }
        }
        return null;
    }
}
