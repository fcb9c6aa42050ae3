package io.nostrex.matcher;

import io.nostrex.protocol.Filter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this matcher instance handled lately: one {@link RecentWindow} per partition of
 * {@code nostr.stored} its stream tasks handle, under one size budget. A gateway registers a REQ
 * only after its history is sent, so when a subscription reaches the index the matcher sends it
 * the matching events it handled since the REQ ({@code since}), and tells the gateway which
 * partitions that replay covers. When the instances' replays cover every partition, nothing the
 * subscription is owed is missing, and the gateway needs no catch-up query.
 *
 * <p>Why nothing falls between replay and live: a stream thread records an event in its window
 * <em>before</em> matching it against the index; the global thread puts a subscription in the
 * index <em>before</em> replaying. So an event either is recorded before the replay reads, or is
 * matched after the subscription is in the index: never neither. It may be both; the gateway
 * drops the second copy. Why nothing is owed from before {@code since}: the matcher reads only
 * events already stored (or ephemeral), so one it handled before {@code since} was stored before
 * the REQ and its history query sees it.
 *
 * <p>A partition that moved to this instance after {@code since} is not covered here: its window
 * starts later. It still replays what it holds, from its start: the instance that had the partition
 * before covered the time until then, if it acknowledged while it still had it. When no ack covers
 * a partition, the gateway runs its catch-up query instead.
 */
final class RecentEvents {
    /** Longer than a REQ's history query and registration normally take. */
    static final long RETENTION_MILLIS = 60_000;
    /** Characters of event JSON kept, over all windows (the parsed events take about as much again). */
    static final long MAX_CHARS = 32L * 1024 * 1024;

    /** A replay: the matching events, oldest first per partition; the partitions held and those covered. */
    record Replay(List<RecentWindow.Entry> events, Set<Integer> owned, Set<Integer> covered) {}

    private final long retentionMillis;
    private final long maxChars;
    private final AtomicLong chars = new AtomicLong();
    private final ConcurrentHashMap<Integer, RecentWindow> windows = new ConcurrentHashMap<>();

    RecentEvents() {
        this(RETENTION_MILLIS, MAX_CHARS);
    }

    RecentEvents(long retentionMillis, long maxChars) {
        this.retentionMillis = retentionMillis;
        this.maxChars = maxChars;
    }

    /** A task starts handling {@code partition} now: its window, complete from now on. */
    RecentWindow open(int partition, long nowMillis) {
        RecentWindow window = new RecentWindow(partition, nowMillis, this);
        RecentWindow before = windows.put(partition, window);
        if (before != null) {
            before.close();
        }
        return window;
    }

    /** The task of this window was closed (its partition revoked, or the matcher stopping). */
    void close(RecentWindow window) {
        windows.remove(window.partition, window);
        window.close();
    }

    /**
     * The events handled at or after {@code fromMillis} that the filters match, from every window
     * that still holds them (from its task's start, when that was later); the partitions of every
     * window, and of those that covered the whole time (their task started by {@code fromMillis}).
     */
    Replay replay(long fromMillis, List<Filter> filters) {
        List<RecentWindow.Entry> events = new ArrayList<>();
        Set<Integer> owned = new TreeSet<>();
        Set<Integer> covered = new TreeSet<>();
        List<RecentWindow> open = new ArrayList<>(windows.values());
        open.sort(Comparator.comparingInt(w -> w.partition));
        for (RecentWindow window : open) {
            owned.add(window.partition);
            List<RecentWindow.Entry> matching = window.replay(fromMillis, filters);
            if (matching != null) {
                events.addAll(matching);
                if (window.covers(fromMillis)) {
                    covered.add(window.partition);
                }
            }
        }
        return new Replay(events, owned, covered);
    }

    long retentionMillis() {
        return retentionMillis;
    }

    void grew(long deltaChars) {
        chars.addAndGet(deltaChars);
    }

    boolean over() {
        return chars.get() > maxChars;
    }

    /** Events held over all windows. */
    int size() {
        int n = 0;
        for (RecentWindow window : windows.values()) {
            n += window.size();
        }
        return n;
    }

    long chars() {
        return chars.get();
    }
}
