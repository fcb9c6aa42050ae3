package io.nostrex.matcher;

import io.nostrex.protocol.Event;
import java.util.Arrays;

/**
 * The filters filed under one value of one field. Those the event's kind and time alone decide
 * (kinds and since), of subscriptions an event reaches once, sit in {@link TargetGroup}s (one per
 * kinds and gateway); the others are a plain array of filters, each checked. Removal is by
 * compaction: the index marks subscriptions removed, then each touched bucket drops their filters
 * in one pass. Not thread-safe; the index guards it.
 */
final class Bucket {
    /** A dense number, unique among live buckets: where a match marks the bucket as visited. */
    final int id;
    private IndexedFilter[] entries = new IndexedFilter[2];
    private int size;
    private TargetGroup[] groups = new TargetGroup[1];
    private int groupCount;

    Bucket(int id) {
        this.id = id;
    }

    void add(IndexedFilter entry) {
        if (entry.groupable && entry.owner.reachedOnce) {
            group(entry.kinds, entry.owner.gatewayIndex).add(entry.owner, entry.since);
            return;
        }
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = entry;
    }

    private TargetGroup group(int[] kinds, int gateway) {
        for (int i = 0; i < groupCount; i++) {
            if (groups[i].holds(kinds, gateway)) {
                return groups[i];
            }
        }
        if (groupCount == groups.length) {
            groups = Arrays.copyOf(groups, groupCount * 2);
        }
        return groups[groupCount++] = new TargetGroup(kinds, gateway);
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
        int keptGroups = 0;
        for (int i = 0; i < groupCount; i++) {
            if (!groups[i].compact()) {
                groups[keptGroups++] = groups[i];
            }
        }
        Arrays.fill(groups, keptGroups, groupCount, null);
        groupCount = keptGroups;
        return size == 0 && groupCount == 0;
    }

    /** Hands {@code gather} the targets of the filters matching the event. */
    void collect(Event event, Gather gather) {
        int kind = event.kind();
        for (int i = 0; i < groupCount; i++) {
            TargetGroup group = groups[i];
            if (group.accepts(kind)) {
                gather.group(group, group.sinceAtMost(event.createdAt()));
            }
        }
        for (int i = 0; i < size; i++) {
            IndexedFilter entry = entries[i];
            if (entry.matches(event)) {
                gather.hit(entry.owner);
            }
        }
    }
}
