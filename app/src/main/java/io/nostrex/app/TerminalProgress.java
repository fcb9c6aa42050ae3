package io.nostrex.app;

import java.io.PrintStream;

/**
 * A progress line on standard error, rewritten in place at most once a second; nothing when the
 * output is not a terminal (then {@code to} is null), so logs and pipes get only the summary.
 */
final class TerminalProgress {
    private final PrintStream to;
    private final long started = System.nanoTime();
    private long last;

    TerminalProgress(PrintStream to) {
        this.to = to;
    }

    /** Seconds since the start when a new line is due, else -1. */
    double due() {
        long now = System.nanoTime();
        if (to == null || now - last < 1_000_000_000L) {
            return -1;
        }
        last = now;
        return (now - started) / 1e9;
    }

    void show(String line) {
        to.print("\r" + line + "\033[K");
    }

    void clear() {
        if (to != null) {
            to.print("\r\033[K");
        }
    }
}
