package io.nostrex.archiver;

import io.nostrex.protocol.Event;
import io.nostrex.store.StoreException;
import io.nostrex.store.StoreOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the archiver writes one batch: in one transaction; a failure that may pass (connections,
 * deadlocks, timeouts: {@link StoreException#isPermanent} false, or any other exception) is waited
 * out and the batch tried again, for as long as it takes; a failure the data caused is narrowed
 * down by storing the batch event by event, so that only the events the database refuses for good
 * are left out ({@link StoreOutcome#FAILED}, with the database's reason in {@link #refusals}) and
 * the rest are stored.
 */
final class BatchWriter {
    /** The store's write: one transaction for the batch. */
    interface Store {
        List<StoreOutcome> store(List<Event> batch, Set<String> vanishHere);
    }

    /** Waits before a retry, or throws to give up (the archiver is stopping). */
    interface Backoff {
        void waitToRetry(int events, RuntimeException cause) throws InterruptedException;
    }

    private final Store store;
    private final Store single;
    private final Backoff backoff;
    private final Map<String, String> refusals = new HashMap<>();
    private boolean narrowed;

    BatchWriter(Store store, Backoff backoff) {
        this(store, store, backoff);
    }

    /**
     * With another write for the events one by one ({@code single}): the batch's write may do more
     * than store the events (a replay stores its log positions with them), which only the whole
     * batch may do.
     */
    BatchWriter(Store store, Store single, Backoff backoff) {
        this.store = store;
        this.single = single;
        this.backoff = backoff;
    }

    /** The outcome of each event of the batch, in order. */
    List<StoreOutcome> write(List<Event> events, Set<String> vanishHere) throws InterruptedException {
        refusals.clear();
        narrowed = false;
        while (true) {
            try {
                return store.store(events, vanishHere);
            } catch (StoreException e) {
                if (e.isPermanent()) {
                    narrowed = true;
                    return oneByOne(events, vanishHere);
                }
                backoff.waitToRetry(events.size(), e);
            } catch (RuntimeException e) {
                backoff.waitToRetry(events.size(), e);
            }
        }
    }

    /** Whether the last batch was written event by event, not by the batch's own write. */
    boolean narrowed() {
        return narrowed;
    }

    /** Why the database refused for good the events of the last batch it refused, by id. */
    Map<String, String> refusals() {
        return refusals;
    }

    private List<StoreOutcome> oneByOne(List<Event> events, Set<String> vanishHere) throws InterruptedException {
        List<StoreOutcome> outcomes = new ArrayList<>(events.size());
        for (Event e : events) {
            while (true) {
                try {
                    outcomes.add(single.store(List.of(e), vanishHere).get(0));
                    break;
                } catch (StoreException failed) {
                    if (failed.isPermanent()) {
                        outcomes.add(StoreOutcome.FAILED);
                        refusals.put(e.id(), failed.reason());
                        break;
                    }
                    backoff.waitToRetry(1, failed);
                } catch (RuntimeException failed) {
                    backoff.waitToRetry(1, failed);
                }
            }
        }
        return outcomes;
    }
}
