package io.nostrex.deploy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How long each phase of a long test took: printed as each ends, and all of them at the end. */
final class PhaseTimes {
    private final String test;
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private final long start = System.nanoTime();

    /** A phase that answers something. */
    interface Work<T> {
        T run() throws Exception;
    }

    /** A phase. */
    interface Step {
        void run() throws Exception;
    }

    PhaseTimes(String test) {
        this.test = test;
    }

    void time(String phase, Step step) throws Exception {
        time(phase, () -> {
            step.run();
            return null;
        });
    }

    <T> T time(String phase, Work<T> work) throws Exception {
        long begin = System.nanoTime();
        try {
            return work.run();
        } finally {
            long took = (System.nanoTime() - begin) / 1_000_000;
            millis.merge(phase, took, Long::sum);
            print(phase + ": " + seconds(took));
        }
    }

    void printAll() {
        StringBuilder table = new StringBuilder("phases:");
        millis.forEach((phase, took) -> table.append(String.format(Locale.ROOT, "%n  %-52s %8s", phase, seconds(took))));
        table.append(String.format(Locale.ROOT, "%n  %-52s %8s", "total", seconds((System.nanoTime() - start) / 1_000_000)));
        print(table.toString());
    }

    void print(String line) {
        System.out.println("[" + test + "] " + line);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
