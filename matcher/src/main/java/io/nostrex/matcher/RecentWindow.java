package io.nostrex.matcher;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The events one stream task handled lately (its partition of {@code nostr.stored}), oldest first,
 * filed by id, author, kind and single-letter tag value, so that replaying them for a new
 * subscription reads the events its filters name rather than every event of the window: the cost of
 * registering a subscription grows with what it matches, not with the ingest rate.
 *
 * <p>The window holds every event its task handled from {@link #start} on, except those evicted for
 * age or size: {@link #covers} says whether that is true from a given time. Written by the task's
 * stream thread, read by the global thread; every method is synchronized.
 */
final class RecentWindow {
    /** One handled event: its order in this window, when it was handled, the event and its JSON. */
    record Entry(long seq, long millis, Event event, String json, String[] tagKeys) {}

    final int partition;
    /** When this window's task started handling its partition (this matcher's clock). */
    final long start;
    private final RecentEvents budget;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, ArrayDeque<Entry>> byAuthor = new HashMap<>();
    private final Map<Integer, ArrayDeque<Entry>> byKind = new HashMap<>();
    private final Map<String, ArrayDeque<Entry>> byTag = new HashMap<>();
    private long nextSeq;
    private long chars;
    /** Handling time of the newest evicted event: the window is complete only after it. */
    private long evictedUpTo = Long.MIN_VALUE;
    private boolean closed;

    RecentWindow(int partition, long start, RecentEvents budget) {
        this.partition = partition;
        this.start = start;
        this.budget = budget;
    }

    /**
     * Records an event handled now ({@code millis}: handling times only grow, so a replay can stop
     * at the first one too old), then evicts what is past the retention or over the size budget.
     */
    synchronized void add(long millis, Event event, String json) {
        if (closed) {
            return;
        }
        Entry e = new Entry(nextSeq++, millis, event, json, tagKeys(event));
        entries.addLast(e);
        byId.putIfAbsent(event.id(), e);
        byAuthor.computeIfAbsent(event.pubkey(), k -> new ArrayDeque<>()).addLast(e);
        byKind.computeIfAbsent(event.kind(), k -> new ArrayDeque<>()).addLast(e);
        for (String key : e.tagKeys()) {
            byTag.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(e);
        }
        chars += json.length();
        budget.grew(json.length());
        long oldestKept = millis - budget.retentionMillis();
        while (!entries.isEmpty() && (entries.peekFirst().millis() < oldestKept || budget.over())) {
            evictOldest();
        }
    }

    private void evictOldest() {
        Entry e = entries.removeFirst();
        if (byId.get(e.event().id()) == e) {
            byId.remove(e.event().id());
        }
        unfile(byAuthor, e.event().pubkey(), e);
        unfile(byKind, e.event().kind(), e);
        for (String key : e.tagKeys()) {
            unfile(byTag, key, e);
        }
        chars -= e.json().length();
        budget.grew(-e.json().length());
        evictedUpTo = Math.max(evictedUpTo, e.millis());
    }

    /** Every list an entry is in has it first: entries are filed and evicted in handling order. */
    private static <K> void unfile(Map<K, ArrayDeque<Entry>> map, K key, Entry e) {
        ArrayDeque<Entry> list = map.get(key);
        if (list != null && list.peekFirst() == e) {
            list.removeFirst();
            if (list.isEmpty()) {
                map.remove(key);
            }
        }
    }

    /**
     * True when this window holds every event its task handled at or after {@code fromMillis}: its
     * task started by then, and nothing handled since has been evicted.
     */
    synchronized boolean covers(long fromMillis) {
        return !closed && start <= fromMillis && evictedUpTo < fromMillis;
    }

    /**
     * What a subscription that asks for what was handled since {@code fromMillis} gets from this
     * window: the matching events handled since then, or since the task started if that was later
     * (a partition that moved here: its previous matcher replayed the time before). Null when the
     * window no longer holds all of those (evicted): a catch-up query must do instead.
     */
    synchronized List<Entry> replay(long fromMillis, List<Filter> filters) {
        long from = Math.max(fromMillis, start);
        return closed || evictedUpTo >= from ? null : matching(from, filters);
    }

    /**
     * The events handled at or after {@code fromMillis} that any of the filters matches, oldest
     * first, each once. Each filter reads only the shortest of the lists its fields name.
     */
    synchronized List<Entry> matching(long fromMillis, List<Filter> filters) {
        TreeMap<Long, Entry> found = new TreeMap<>();
        for (Filter f : filters) {
            if (f.matchesNothing()) {
                continue;
            }
            for (Iterator<Entry> newestFirst : candidates(f)) {
                while (newestFirst.hasNext()) {
                    Entry e = newestFirst.next();
                    if (e.millis() < fromMillis) {
                        break;
                    }
                    if (f.matches(e.event())) {
                        found.put(e.seq(), e);
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** Newest-first iterators over the smallest set of lists that holds every event {@code f} can match. */
    private List<Iterator<Entry>> candidates(Filter f) {
        if (f.ids() != null) {
            List<Iterator<Entry>> out = new ArrayList<>(f.ids().size());
            for (String id : f.ids()) {
                Entry e = byId.get(id);
                if (e != null) {
                    out.add(List.of(e).iterator());
                }
            }
            return out;
        }
        List<ArrayDeque<Entry>> best = null;
        long bestSize = Long.MAX_VALUE;
        if (f.authors() != null) {
            best = lists(byAuthor, f.authors());
            bestSize = size(best);
        }
        for (Map.Entry<Character, Set<String>> tag : f.tags().entrySet()) {
            List<String> keys = new ArrayList<>(tag.getValue().size());
            for (String value : tag.getValue()) {
                keys.add(tagKey(tag.getKey(), value));
            }
            List<ArrayDeque<Entry>> lists = lists(byTag, keys);
            long size = size(lists);
            if (size < bestSize) {
                best = lists;
                bestSize = size;
            }
        }
        if (f.kinds() != null) {
            List<ArrayDeque<Entry>> lists = lists(byKind, f.kinds());
            if (size(lists) < bestSize) {
                best = lists;
            }
        }
        if (best == null) {
            best = List.of(entries);
        }
        List<Iterator<Entry>> out = new ArrayList<>(best.size());
        for (ArrayDeque<Entry> list : best) {
            out.add(list.descendingIterator());
        }
        return out;
    }

    private static <K> List<ArrayDeque<Entry>> lists(Map<K, ArrayDeque<Entry>> map, Collection<K> keys) {
        List<ArrayDeque<Entry>> out = new ArrayList<>(keys.size());
        for (K key : keys) {
            ArrayDeque<Entry> list = map.get(key);
            if (list != null) {
                out.add(list);
            }
        }
        return out;
    }

    private static long size(List<ArrayDeque<Entry>> lists) {
        long n = 0;
        for (ArrayDeque<Entry> list : lists) {
            n += list.size();
        }
        return n;
    }

    /** The distinct single-letter tag values of an event, as keys: the letter, then the value. */
    private static String[] tagKeys(Event event) {
        Set<String> keys = null;
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).length() == 1) {
                if (keys == null) {
                    keys = new LinkedHashSet<>();
                }
                keys.add(tagKey(tag.get(0).charAt(0), tag.get(1)));
            }
        }
        return keys == null ? new String[0] : keys.toArray(new String[0]);
    }

    private static String tagKey(char letter, String value) {
        return letter + value;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Stops recording and gives the window's share of the budget back (its task was closed). */
    synchronized void close() {
        if (!closed) {
            closed = true;
            budget.grew(-chars);
            chars = 0;
            entries.clear();
            byId.clear();
            byAuthor.clear();
            byKind.clear();
            byTag.clear();
        }
    }
}
