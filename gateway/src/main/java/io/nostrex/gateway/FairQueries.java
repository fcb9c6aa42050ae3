package io.nostrex.gateway;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The query threads, shared by turns. Each connection has a {@link Lane}: at most
 * {@code perLane} of its queries are on the pool at once, the rest wait in the lane, and when one
 * of its queries ends the next goes to the back of the pool's queue. So a client that sends fifty
 * REQs, or eight slow COUNTs, takes turns with every other client instead of filling the query
 * threads and the queue ahead of them. A lane holds at most {@code maxWaiting} queries; past that,
 * or when the pool refuses, the query is refused and its {@code onRefused} runs (a
 * {@code rate-limited:} answer).
 */
final class FairQueries {
    private final Executor pool;
    private final int perLane;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    FairQueries(Executor pool, int perLane, int maxWaiting) {
        if (perLane < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("perLane must be at least 1 and maxWaiting at least 0");
        }
        this.pool = pool;
        this.perLane = perLane;
        this.maxWaiting = maxWaiting;
    }

    /** One connection's queries: how many are on the pool, and those waiting for their turn. */
    static final class Lane {
        private int onPool;
        private final ArrayDeque<Task> waiting = new ArrayDeque<>();
    }

    private record Task(Runnable work, Runnable onRefused) {}

    /** Runs {@code work} on a query thread in the lane's turn, or refuses it ({@code onRefused} runs here). */
    void submit(Lane lane, Runnable work, Runnable onRefused) {
        Task task = new Task(work, onRefused);
        synchronized (lane) {
            if (lane.onPool >= perLane) {
                if (lane.waiting.size() >= maxWaiting) {
                    onRefused.run();
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
                current.onRefused.run();
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
