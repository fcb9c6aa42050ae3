package io.nostrex.matcher;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The ephemeral events this matcher handled lately, oldest first, so that a subscription reaching
 * the index can still get the ones accepted since its REQ (a gateway registers a REQ only after
 * its history is sent). Bounded by age and by the total size of the events' JSON, whichever
 * comes first. Written by the stream threads, read by the global thread.
 *
 * <p>A stream thread records an event <em>before</em> matching it against the index; the global
 * thread puts a subscription in the index <em>before</em> replaying. So an event either is
 * recorded before the replay reads, or is matched after the subscription is in the index: never
 * neither. It may be both; the gateway drops the second copy.
 */
final class RecentEphemeral {
    /** Longer than a REQ's history query and registration normally take. */
    static final long RETENTION_MILLIS = 60_000;
    static final long MAX_CHARS = 32L * 1024 * 1024;

    record Entry(long millis, Event event, String json) {}

    private final long retentionMillis;
    private final long maxChars;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long chars;

    RecentEphemeral() {
        this(RETENTION_MILLIS, MAX_CHARS);
    }

    RecentEphemeral(long retentionMillis, long maxChars) {
        this.retentionMillis = retentionMillis;
        this.maxChars = maxChars;
    }

    /**
     * Records an ephemeral event handled now ({@code millis}, this matcher's clock: handling times
     * only grow, so a replay can stop at the first one too old). An event accepted after a REQ is
     * handled after it too, so comparing with the gateway's REQ time misses none.
     */
    synchronized void add(long millis, Event event, String json) {
        entries.addLast(new Entry(millis, event, json));
        chars += json.length();
        while (!entries.isEmpty() && (chars > maxChars || entries.peekFirst().millis() < millis - retentionMillis)) {
            chars -= entries.removeFirst().json().length();
        }
    }

    /** The recorded events at or after {@code fromMillis} that any of the filters matches, oldest first. */
    synchronized List<Entry> matching(long fromMillis, List<Filter> filters) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext()) {
            Entry e = newestFirst.next();
            if (e.millis() < fromMillis) {
                break;
            }
            for (Filter f : filters) {
                if (f.matches(e.event())) {
                    out.add(e);
                    break;
                }
            }
        }
        Collections.reverse(out);
        return out;
    }

    synchronized int size() {
        return entries.size();
    }
}
