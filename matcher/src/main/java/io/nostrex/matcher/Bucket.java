package io.nostrex.matcher;

import io.nostrex.protocol.Event;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The filters filed under one value of one field: a plain array, so that matching walks memory in
 * order. Removal is by compaction: the index marks subscriptions removed, then each touched bucket
 * drops their filters in one pass. Not thread-safe; the index guards it.
 */
final class Bucket {
    private IndexedFilter[] entries = new IndexedFilter[2];
    private int size;

    void add(IndexedFilter entry) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = entry;
    }

    /** Drops the filters of removed subscriptions; true when the bucket is left empty. */
    boolean compact() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!entries[i].owner.removed) {
                entries[kept++] = entries[i];
            }
        }
        Arrays.fill(entries, kept, size, null);
        size = kept;
        if (entries.length > 8 && size < entries.length / 4) {
            entries = Arrays.copyOf(entries, Math.max(2, size * 2));
        }
        return size == 0;
    }

    /** Hands {@code hits} the owners of the filters matching the event. */
    void collect(Event event, Consumer<LiveSubscription> hits) {
        for (int i = 0; i < size; i++) {
            IndexedFilter entry = entries[i];
            if (entry.matches(event)) {
                hits.accept(entry.owner);
            }
        }
    }

    int size() {
        return size;
    }
}
