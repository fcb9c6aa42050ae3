package io.nostrex.ops;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The liveness of one loop thread (a validator, an archiver, a gateway's inbox). The loop calls
 * {@link #beat()} each time round; it is live while it beats at least every {@code stallAfter}.
 * A loop that ends on an error calls {@link #failed}, which is fatal to the process; one that ends
 * because it was closed calls {@link #finished()}.
 */
public final class Worker {
    private final String name;
    private final long stallNanos;
    private final Health health;
    private final LongSupplier nanoClock;
    private volatile long lastBeat;
    private volatile Throwable failure;
    private volatile boolean finished;

    Worker(String name, Duration stallAfter, Health health, LongSupplier nanoClock) {
        this.name = name;
        this.stallNanos = stallAfter.toNanos();
        this.health = health;
        this.nanoClock = nanoClock;
        this.lastBeat = nanoClock.getAsLong();
    }

    public String name() {
        return name;
    }

    public void beat() {
        lastBeat = nanoClock.getAsLong();
    }

    /** The loop ended on an error: the worker is dead, and the process should go. */
    public void failed(Throwable cause) {
        failure = cause;
        health.fatal(name, cause);
    }

    /** The loop ended because it was told to stop. */
    public void finished() {
        finished = true;
    }

    Status status() {
        if (failure != null) {
            return Status.down("stopped: " + failure);
        }
        if (finished) {
            return Status.down("stopped");
        }
        long idle = nanoClock.getAsLong() - lastBeat;
        if (idle > stallNanos) {
            return Status.down("no progress for " + TimeUnit.NANOSECONDS.toSeconds(idle) + " s");
        }
        return Status.up("moving");
    }
}
