package io.nostrex.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one process: liveness checks (is every worker alive and moving?) and readiness
 * checks (is it connected and assigned?), each named, plus the handlers told when a worker dies
 * for good. {@code /health} reports the liveness checks, {@code /ready} every check. Checks are
 * cheap reads; a check that needs the network is a {@link #readyProbe} that runs on its own
 * schedule, so an endpoint never waits for Kafka or PostgreSQL.
 */
public final class Health implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Health.class);

    /** Told when a worker has stopped for good; the process should exit non-zero. */
    @FunctionalInterface
    public interface FatalHandler {
        void fatal(String worker, Throwable cause);
    }

    private final Map<String, Supplier<Status>> liveness = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Status>> readiness = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> schedules = new ConcurrentHashMap<>();
    private final List<FatalHandler> fatalHandlers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "health-probe");
        t.setDaemon(true);
        return t;
    });

    /** Adds (or replaces) a liveness check; a down one makes {@code /health} fail. */
    public void live(String name, Supplier<Status> check) {
        liveness.put(name, check);
    }

    /** Adds (or replaces) a readiness check; a down one makes {@code /ready} fail. */
    public void ready(String name, Supplier<Status> check) {
        readiness.put(name, check);
    }

    /**
     * A readiness check that needs I/O: {@code probe} runs now and then every {@code every}, on a
     * probe thread; the check reports its last answer, or down when it has not answered for three
     * periods (a probe stuck on a dead connection).
     */
    public void readyProbe(String name, Duration every, Callable<Status> probe) {
        Probe p = new Probe(probe, every, System::nanoTime);
        ready(name, p);
        ScheduledFuture<?> old = schedules.put(name,
                probes.scheduleWithFixedDelay(p::run, 0, every.toMillis(), TimeUnit.MILLISECONDS));
        if (old != null) {
            old.cancel(false);
        }
    }

    /** A worker whose liveness is a check of this name, and whose failure is fatal. */
    public Worker worker(String name, Duration stallAfter) {
        return worker(name, stallAfter, System::nanoTime);
    }

    Worker worker(String name, Duration stallAfter, LongSupplier nanoClock) {
        Worker w = new Worker(name, stallAfter, this, nanoClock);
        live(name, w::status);
        return w;
    }

    /** Removes the checks of this name (a role that was stopped on purpose). */
    public void remove(String name) {
        liveness.remove(name);
        readiness.remove(name);
        ScheduledFuture<?> s = schedules.remove(name);
        if (s != null) {
            s.cancel(false);
        }
    }

    public void onFatal(FatalHandler handler) {
        fatalHandlers.add(handler);
    }

    /** A worker stopped for good: logs it and tells every handler. */
    public void fatal(String worker, Throwable cause) {
        LOG.error("{} stopped for good: {}", worker, String.valueOf(cause), cause);
        for (FatalHandler h : fatalHandlers) {
            h.fatal(worker, cause);
        }
    }

    /** The liveness checks. */
    public Report liveness() {
        return Report.of(evaluate(liveness));
    }

    /** Every check: a process is ready only when it is live too. */
    public Report readiness() {
        Map<String, Status> all = evaluate(liveness);
        all.putAll(evaluate(readiness));
        return Report.of(all);
    }

    private static Map<String, Status> evaluate(Map<String, Supplier<Status>> checks) {
        Map<String, Status> out = new java.util.HashMap<>();
        checks.forEach((name, check) -> {
            Status s;
            try {
                s = check.get();
            } catch (RuntimeException e) {
                s = Status.down("check failed: " + e);
            }
            out.put(name, s);
        });
        return out;
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }

    /** The last answer of a periodic probe, and when it came. */
    static final class Probe implements Supplier<Status> {
        private final Callable<Status> check;
        private final long staleNanos;
        private final LongSupplier nanoClock;
        private volatile Status last = Status.down("not probed yet");
        private volatile long answeredAt;

        Probe(Callable<Status> check, Duration every, LongSupplier nanoClock) {
            this.check = check;
            this.staleNanos = every.multipliedBy(3).toNanos();
            this.nanoClock = nanoClock;
            this.answeredAt = nanoClock.getAsLong();
        }

        void run() {
            Status s;
            try {
                s = check.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                s = Status.down(e.toString());
            }
            last = s;
            answeredAt = nanoClock.getAsLong();
        }

        @Override
        public Status get() {
            long silent = nanoClock.getAsLong() - answeredAt;
            if (silent > staleNanos) {
                return Status.down("no answer for " + TimeUnit.NANOSECONDS.toSeconds(silent) + " s");
            }
            return last;
        }
    }
}
