package io.nostrex.matcher;

import java.util.Arrays;

/**
 * The subscriptions of one bucket that one gateway serves and that the event's kind and time alone
 * decide (same kinds, maybe a since, no other condition, each reached at most once per event), with
 * their delivery targets already joined: {@code [c,"a"],[c2,"b"],...}. Members are ordered by since
 * (none first), so those an event matches are a prefix, and a match copies the prefix's bytes as
 * they are: the cost of a wide match (a global feed, a popular author) is a copy rather than a walk
 * over scattered subscriptions. Not thread-safe: the index guards it.
 */
final class TargetGroup {
    /** The kinds, sorted; null for any kind. */
    final int[] kinds;
    final int gateway;
    private LiveSubscription[] members = new LiveSubscription[2];
    /** {@code sinces[i]}: member i's since, {@link Long#MIN_VALUE} for none; ascending. */
    private long[] sinces = new long[2];
    /** {@code ends[i]}: the offset just past member i's target in {@code bytes}. */
    private int[] ends = new int[2];
    private int size;
    /** The members' targets, in member order, joined by commas. */
    private byte[] bytes = new byte[64];
    private int length;

    TargetGroup(int[] kinds, int gateway) {
        this.kinds = kinds;
        this.gateway = gateway;
    }

    boolean holds(int[] kinds, int gateway) {
        return this.gateway == gateway && Arrays.equals(this.kinds, kinds);
    }

    boolean accepts(int kind) {
        return kinds == null || IndexedFilter.hasKind(kinds, kind);
    }

    /** How many members, from the first, an event created at {@code createdAt} matches. */
    int sinceAtMost(long createdAt) {
        if (size == 0 || sinces[size - 1] <= createdAt) {
            return size;
        }
        return upperBound(createdAt);
    }

    /** The number of members whose since is at most {@code value}. */
    private int upperBound(long value) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sinces[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Adds a member after those with the same or an earlier since. */
    void add(LiveSubscription sub, long since) {
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
            sinces = Arrays.copyOf(sinces, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        int at = sinceAtMost(since);
        byte[] target = sub.target;
        int start = at == 0 ? 0 : ends[at - 1] + 1; // where the target goes in bytes
        int added = target.length + (size > 0 ? 1 : 0); // with a comma, after it or before it
        if (length + added > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + added, bytes.length * 2));
        }
        if (at < size) {
            System.arraycopy(bytes, start, bytes, start + added, length - start);
            System.arraycopy(members, at, members, at + 1, size - at);
            System.arraycopy(sinces, at, sinces, at + 1, size - at);
            System.arraycopy(ends, at, ends, at + 1, size - at);
            for (int i = at + 1; i <= size; i++) {
                ends[i] += added;
            }
            System.arraycopy(target, 0, bytes, start, target.length);
            bytes[start + target.length] = ',';
        } else {
            if (size > 0) {
                bytes[start - 1] = ',';
            }
            System.arraycopy(target, 0, bytes, start, target.length);
        }
        members[at] = sub;
        sinces[at] = since;
        ends[at] = start + target.length;
        length += added;
        size++;
    }

    /** Drops removed members and their targets; true when the group is left empty. */
    boolean compact() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!members[i].removed) {
                kept++;
            }
        }
        if (kept == size) {
            return size == 0;
        }
        LiveSubscription[] oldMembers = members;
        long[] oldSinces = sinces;
        int oldSize = size;
        int capacity = members.length > 8 && kept < members.length / 4 ? Math.max(2, kept * 2) : members.length;
        members = new LiveSubscription[capacity];
        sinces = new long[capacity];
        ends = new int[capacity];
        if (capacity < oldMembers.length) {
            bytes = new byte[Math.max(64, bytes.length / 2)];
        }
        size = 0;
        length = 0;
        for (int i = 0; i < oldSize; i++) {
            if (!oldMembers[i].removed) {
                add(oldMembers[i], oldSinces[i]); // in order, so each goes at the end
            }
        }
        return size == 0;
    }

    byte[] bytes() {
        return bytes;
    }

    int[] ends() {
        return ends;
    }
}
