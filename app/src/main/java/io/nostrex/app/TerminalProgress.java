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

    /** Standard error when it is a terminal, else null: where the progress of a command goes. */
    static PrintStream terminal() {
        return System.console() != null ? System.err : null;
    }

    /**
     * The one line a command prints when it fails (a closed pipe, an unreachable database or
     * broker), not a stack trace: the message, and its cause's when that adds something.
     */
    static String failure(String command, Exception e) {
        Throwable cause = e.getCause();
        boolean more = cause != null && cause.getMessage() != null && !String.valueOf(e.getMessage()).contains(cause.getMessage());
        return command + " failed: " + e.getMessage() + (more ? " (" + cause.getMessage() + ")" : "");
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
