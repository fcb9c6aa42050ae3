package io.nostrex.gateway;

import io.nostrex.protocol.Filter;
import io.nostrex.protocol.message.MessageCodec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One live REQ on one connection, from registration to CLOSE. Live events that arrive before the
 * stored history has been sent are held back, then sent after EOSE unless the history already had
 * them; after EOSE, an event sent as history or by the catch-up is never sent again live, and
 * neither is one of the last {@value #RECENT} live events (a matcher that crashed replays a second
 * or so of events).
 * Guarded by its connection.
 */
final class Subscription {
    enum State { QUERYING, LIVE }

    /** Ids of history and catch-up remembered for de-duplication (beyond this, only the ring). */
    static final int MAX_SEEN = 5_000;

    static final int RECENT = 128;

    final String id;
    /** This registration's version: a new one when the subscription is registered again after a sweep. */
    long version;
    final List<Filter> filters;
    State state = State.QUERYING;
    /** This version has been published to the matcher (after EOSE, or at once when it replaced one). */
    boolean registered;
    /** The matcher has acknowledged this version: events it handles from now on are matched live. */
    boolean acknowledged;
    /** Events stored since the history query and before the acknowledgement have been sent. */
    boolean caughtUp;
    /** Partitions of nostr.stored in all, as the matchers' acks say (0 until one says). */
    int partitions;
    /** Partitions whose matcher has acknowledged this version: it matches their events live. */
    final BitSet acknowledgedPartitions = new BitSet();
    /** Partitions whose matcher has also replayed every matching event it handled since the REQ. */
    final BitSet replayedPartitions = new BitSet();
    /** When the history query started (milliseconds): the catch-up reads from a little before. */
    long queryStartMillis;
    /** The same moment on the monotonic clock: the REQ's latency to EOSE is measured from it. */
    long queryStartNanos;
    /** When this version was published to the matchers (monotonic clock; 0 until then). */
    long registeredNanos;
    private final List<String[]> held = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final long[] recent = new long[RECENT];
    private int recentNext;
    private int recentCount;
    private byte[] framePrefix;
    /** By partition of nostr.stored, the offset of the last live match this subscription got (-1: none yet). */
    private long[] lastOffsets;
    private long heldBytes;

    Subscription(String id, long version, List<Filter> filters) {
        this.id = id;
        this.version = version;
        this.filters = List.copyOf(filters);
    }

    /** The UTF-8 start of this subscription's EVENT frames, {@code ["EVENT","<id>",}. */
    byte[] framePrefix() {
        if (framePrefix == null) {
            framePrefix = MessageCodec.eventPrefix(id);
        }
        return framePrefix;
    }

    /** An event id's key in the ring of recent live events: its last 16 hex digits (0 when shorter). */
    static long recentKey(String eventId) {
        return eventId.length() >= 16
                ? Long.parseUnsignedLong(eventId, eventId.length() - 16, eventId.length(), 16) : 0;
    }

    /** What the acks of this version so far say, for every partition of nostr.stored. */
    enum Coverage {
        /** Some partition has no ack yet. */
        PENDING,
        /** Every partition is matched live, but some were not replayed: a catch-up query is needed. */
        LIVE,
        /** Every partition is matched live and was replayed since the REQ: nothing is missing. */
        REPLAYED
    }

    /**
     * Forgets every registration and ack, for a new registration as {@code newVersion} after the
     * matchers dropped this one; what was sent stays remembered for de-duplication.
     */
    void registerAgain(long newVersion) {
        version = newVersion;
        registered = false;
        acknowledged = false;
        caughtUp = false;
        partitions = 0;
        acknowledgedPartitions.clear();
        replayedPartitions.clear();
    }

    /** Adds one matcher's ack, which names the partitions it handles and those it replayed. */
    Coverage acknowledgedBy(int partitionCount, Set<Integer> handled, Set<Integer> replayed) {
        partitions = Math.max(partitions, partitionCount);
        handled.forEach(acknowledgedPartitions::set);
        replayed.forEach(p -> {
            acknowledgedPartitions.set(p);
            replayedPartitions.set(p);
        });
        if (replayedPartitions.nextClearBit(0) >= partitions) {
            return Coverage.REPLAYED;
        }
        return acknowledgedPartitions.nextClearBit(0) >= partitions ? Coverage.LIVE : Coverage.PENDING;
    }

    /**
     * True when a live match from this place in nostr.stored is past the last one this subscription
     * got from that partition, and remembers it; false for a repeat: a matcher's live matches of one
     * partition come in offset order, and one that crashed, or took the partition over, matches
     * again from its last commit what was already sent. Held and replayed events do not pass here.
     */
    boolean advance(int partition, long offset) {
        if (lastOffsets == null || partition >= lastOffsets.length) {
            int size = Math.max(partition + 1, lastOffsets == null ? 8 : lastOffsets.length * 2);
            long[] grown = new long[size];
            java.util.Arrays.fill(grown, -1);
            if (lastOffsets != null) {
                System.arraycopy(lastOffsets, 0, grown, 0, lastOffsets.length);
            }
            lastOffsets = grown;
        }
        if (offset <= lastOffsets[partition]) {
            return false;
        }
        lastOffsets[partition] = offset;
        return true;
    }

    /** Remembers the ids sent as history, so a live copy of one of them is dropped. */
    void historySent(Set<String> ids) {
        seen.addAll(ids);
    }

    /**
     * Holds a live event that arrived before EOSE ({@code bytes}: its UTF-8 size); returns the number
     * of held events.
     */
    int hold(String eventId, String eventJson, int bytes) {
        held.add(new String[] {eventId, eventJson});
        heldBytes += bytes;
        return held.size();
    }

    /** The UTF-8 bytes of the events held now. */
    long heldBytes() {
        return heldBytes;
    }

    /** The held events not already sent as history, in arrival order; empties the hold. */
    List<String> releaseHeld() {
        List<String> out = new ArrayList<>(held.size());
        for (String[] e : held) {
            if (isNew(e[0])) {
                out.add(e[1]);
            }
        }
        held.clear();
        heldBytes = 0;
        return out;
    }

    /**
     * True when a live event should be sent now: not a repeat of history, of the catch-up, nor of a
     * recent live event. Until the catch-up is done, live ids are remembered in full (the catch-up
     * must not send them again); after it, only in the ring, so a busy live subscription costs no
     * memory per event.
     */
    boolean isNew(String eventId) {
        return isNew(eventId, recentKey(eventId));
    }

    /** {@link #isNew(String)} with the id's {@link #recentKey} computed once for all recipients. */
    boolean isNew(String eventId, long key) {
        if (!seen.isEmpty() && seen.contains(eventId)) {
            return false;
        }
        if (eventId.length() >= 16) {
            for (int i = 0; i < recentCount; i++) {
                if (recent[i] == key) {
                    return false;
                }
            }
            recent[recentNext] = key;
            recentNext = (recentNext + 1) % RECENT;
            recentCount = Math.min(recentCount + 1, RECENT);
        }
        if (!caughtUp) {
            if (seen.size() >= MAX_SEEN) {
                seen.clear();
            }
            seen.add(eventId);
        }
        return true;
    }
}
