package io.nostrex.app;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What an import has sent and what came back: one slot per event in flight (the window bounds the
 * memory and the relay's queue), the answer of each line classified, and a report line for each
 * event that was not taken.
 */
final class ImportTally {
    /** Where an answered event goes in the summary. */
    enum Outcome { ACCEPTED, DUPLICATE, INVALID, BLOCKED, FAILED }

    private final Semaphore window;
    private final PrintStream report;
    private final Map<Long, String> inFlight = new HashMap<>();
    private final long[] counts = new long[Outcome.values().length];

    ImportTally(int window, PrintStream report) {
        this.window = new Semaphore(window);
        this.report = report;
    }

    /** The relay's answer as a summary class: OK true (a duplicate or not), then by the message's prefix. */
    static Outcome classify(boolean accepted, String message) {
        if (accepted) {
            return message.startsWith("duplicate:") ? Outcome.DUPLICATE : Outcome.ACCEPTED;
        }
        if (message.startsWith("invalid:")) {
            return Outcome.INVALID;
        }
        // error: the relay could not confirm it (a timeout, a store failure): it may or may not be stored
        return message.startsWith("error:") ? Outcome.FAILED : Outcome.BLOCKED; // blocked: pow: restricted: ...
    }

    /**
     * Takes a slot for the event of {@code line}, waiting while the window is full; false when no
     * slot came free within {@code stallMillis} (the relay stopped answering).
     */
    boolean sending(long line, String eventId, long stallMillis) throws InterruptedException {
        if (!window.tryAcquire(stallMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        synchronized (this) {
            inFlight.put(line, eventId);
        }
        return true;
    }

    /** A line that was not sent (its shape is wrong): counted and reported at once. */
    synchronized void rejectedHere(long line, String reason) {
        counts[Outcome.INVALID.ordinal()]++;
        report.println("line " + line + ": " + reason);
    }

    /** The relay's answer for the event of {@code line}; answers to nothing in flight are ignored. */
    void answered(long line, boolean accepted, String message) {
        synchronized (this) {
            String id = inFlight.remove(line);
            if (id == null) {
                return;
            }
            Outcome o = classify(accepted, message);
            counts[o.ordinal()]++;
            if (o != Outcome.ACCEPTED && o != Outcome.DUPLICATE) {
                report.println("line " + line + ": " + id + ": " + message);
            }
        }
        window.release();
    }

    /** Events sent and not answered yet. */
    synchronized int inFlight() {
        return inFlight.size();
    }

    /** Counts every event still in flight as failed, reporting each line, and frees their slots. */
    void giveUp(String why) {
        int freed;
        synchronized (this) {
            inFlight.forEach((line, id) -> {
                counts[Outcome.FAILED.ordinal()]++;
                report.println("line " + line + ": " + id + ": error: " + why);
            });
            freed = inFlight.size();
            inFlight.clear();
        }
        window.release(freed);
    }

    /**
     * Waits until every event sent is answered, as long as answers keep coming: after
     * {@code stallMillis} without one, the rest count as failed. {@code tick} runs every 50 ms.
     */
    void awaitAnswers(long stallMillis, Runnable tick) throws InterruptedException {
        long answered = answered();
        long lastChange = System.currentTimeMillis();
        while (inFlight() > 0) {
            Thread.sleep(50);
            if (answered() != answered) {
                answered = answered();
                lastChange = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastChange > stallMillis) {
                giveUp("no answer within " + stallMillis / 1000 + " s");
            }
            tick.run();
        }
    }

    synchronized long count(Outcome o) {
        return counts[o.ordinal()];
    }

    synchronized long answered() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** {@code imported N events: A accepted, D duplicate, I invalid, B blocked}, then failures if any. */
    synchronized String summary() {
        String line = "imported " + answered() + " events: " + count(Outcome.ACCEPTED) + " accepted, "
                + count(Outcome.DUPLICATE) + " duplicate, " + count(Outcome.INVALID) + " invalid, "
                + count(Outcome.BLOCKED) + " blocked";
        return count(Outcome.FAILED) == 0 ? line : line + ", " + count(Outcome.FAILED) + " failed";
    }
}
