package io.nostrex.gateway;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The query threads, shared by turns. Each connection has a {@link Lane}: at most
 * {@code perLane} of its queries are on the pool at once, the rest wait in the lane, and when one
 * of its queries ends the next goes to the back of the pool's queue. So a client that sends fifty
 * REQs, or eight slow COUNTs, takes turns with every other client instead of filling the query
 * threads and the queue ahead of them. A lane holds at most {@code maxWaiting} queries; past that,
 * or when the pool refuses, the query is refused and its {@code onRefused} runs (a
 * {@code rate-limited:} answer). With {@link QueryShares}, while queries wait for a thread, a
 * query of an address that has had more than its share of query time lately is refused too:
 * lanes share the threads between connections, shares between addresses, by the time they take.
 */
final class FairQueries {
    static final String BUSY = "the relay is busy or this connection has too many queries waiting";
    static final String OVER_SHARE = "your address has had more than its share of query time lately, while others"
            + " wait; retry in a few seconds";

    private final Executor pool;
    private final int perLane;
    private final int maxWaiting;
    private final QueryShares shares;
    private final AtomicInteger waiting = new AtomicInteger();

    FairQueries(Executor pool, int perLane, int maxWaiting) {
        this(pool, perLane, maxWaiting, null);
    }

    /** {@code shares}: query time by address, or null for lanes only. */
    FairQueries(Executor pool, int perLane, int maxWaiting, QueryShares shares) {
        if (perLane < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("perLane must be at least 1 and maxWaiting at least 0");
        }
        this.pool = pool;
        this.perLane = perLane;
        this.maxWaiting = maxWaiting;
        this.shares = shares;
    }

    /** One connection's queries: how many are on the pool, and those waiting for their turn. */
    static final class Lane {
        private final String address;
        private int onPool;
        private final ArrayDeque<Task> waiting = new ArrayDeque<>();

        Lane() {
            this("");
        }

        /** The lane of a connection from this client address. */
        Lane(String address) {
            this.address = address;
        }
    }

    private record Task(Runnable work, Consumer<String> onRefused) {}

    /**
     * Runs {@code work} on a query thread in the lane's turn, or refuses it: {@code onRefused} gets
     * why (to follow {@code rate-limited: }), here or, when the pool refuses later, on the thread
     * that hands it the query.
     */
    void submit(Lane lane, Runnable work, Consumer<String> onRefused) {
        if (shares != null) {
            shares.asking(lane.address);
            if (contended() && shares.over(lane.address)) {
                onRefused.accept(OVER_SHARE);
                return;
            }
        }
        Task task = new Task(shares == null ? work : timed(lane.address, work), onRefused);
        synchronized (lane) {
            if (lane.onPool >= perLane) {
                if (lane.waiting.size() >= maxWaiting) {
                    onRefused.accept(BUSY);
                    return;
                }
                lane.waiting.add(task);
                waiting.incrementAndGet();
                return;
            }
            lane.onPool++;
        }
        dispatch(lane, task);
    }

    /**
     * Queries wait for a thread: in lanes, or in the pool's queue (a fixed pool queues only when
     * every thread is busy). Not the pool's active count: that takes the pool's main lock, and this
     * runs on the I/O threads.
     */
    private boolean contended() {
        return waiting.get() > 0 || pool instanceof ThreadPoolExecutor tpe && !tpe.getQueue().isEmpty();
    }

    private Runnable timed(String address, Runnable work) {
        return () -> {
            long start = System.nanoTime();
            try {
                work.run();
            } finally {
                shares.used(address, System.nanoTime() - start);
            }
        };
    }

    /** Queries waiting in lanes for their turn (not yet on the pool). */
    int waiting() {
        return waiting.get();
    }

    private void dispatch(Lane lane, Task task) {
        while (task != null) {
            Task current = task;
            try {
                pool.execute(() -> {
                    try {
                        current.work.run();
                    } finally {
                        Task next = next(lane);
                        if (next != null) {
                            dispatch(lane, next);
                        }
                    }
                });
                return;
            } catch (RejectedExecutionException full) {
                current.onRefused.accept(BUSY);
                task = next(lane);
            }
        }
    }

    /** The lane's next waiting query, counted as on the pool; null (one fewer on the pool) when none. */
    private Task next(Lane lane) {
        synchronized (lane) {
            Task next = lane.waiting.poll();
            if (next == null) {
                lane.onPool--;
            } else {
                waiting.decrementAndGet();
            }
            return next;
        }
    }
}
