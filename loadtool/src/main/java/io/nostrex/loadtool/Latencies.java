package io.nostrex.loadtool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Exact latency samples in nanoseconds, each with the time it was taken: every sample is kept (two
 * growing arrays of longs), and the percentiles are read from a sorted copy, for the whole run and
 * for each second of it (the timeline). Thread-safe; a run of a few million samples costs a few
 * tens of MB, which is fine for a load tool and needs no histogram library.
 *
 * <p>Each thread records into arrays of its own, merged when a summary is read: the client's I/O
 * threads record tens of thousands of samples a second in a fan-out, and one shared lock made them
 * spin on each other (a third of the tool's CPU in a JFR profile of a 1,000-subscriber run).
 */
final class Latencies {
    private final List<Recorder> recorders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Recorder> mine = ThreadLocal.withInitial(() -> {
        Recorder r = new Recorder();
        recorders.add(r);
        return r;
    });

    /** A latency taken at no particular time: it counts in the summaries, and in second 0 of a timeline. */
    void add(long nanos) {
        add(nanos, 0);
    }

    /** A latency of {@code nanos} that ended at {@code at} ({@link System#nanoTime()}). */
    void add(long nanos, long at) {
        mine.get().add(nanos, at);
    }

    int count() {
        int n = 0;
        for (Recorder r : recorders) {
            n += r.size();
        }
        return n;
    }

    /** The percentiles of the samples so far. */
    Summary summary() {
        long[] sorted = merged()[0];
        Arrays.sort(sorted);
        return Summary.of(sorted);
    }

    /**
     * The percentiles of the samples so far, with a timeline: the samples of each whole second
     * since {@code origin} ({@link System#nanoTime()}; earlier samples count in second 0), so that
     * a run shows how its rate and latency moved, as in the first seconds of a fresh relay.
     */
    Summary summary(long origin) {
        long[][] merged = merged();
        long[] samples = merged[0];
        long[] takenAt = merged[1];
        int size = samples.length;
        int seconds = 0;
        int[] second = new int[size];
        for (int i = 0; i < size; i++) {
            second[i] = (int) Math.max(0, (takenAt[i] - origin) / 1_000_000_000L);
            seconds = Math.max(seconds, second[i] + 1);
        }
        int[] counts = new int[seconds];
        for (int i = 0; i < size; i++) {
            counts[second[i]]++;
        }
        long[][] bySecond = new long[seconds][];
        for (int s = 0; s < seconds; s++) {
            bySecond[s] = new long[counts[s]];
        }
        int[] filled = new int[seconds];
        for (int i = 0; i < size; i++) {
            bySecond[second[i]][filled[second[i]]++] = samples[i];
        }
        List<Second> timeline = new ArrayList<>(seconds);
        for (int s = 0; s < seconds; s++) {
            Arrays.sort(bySecond[s]);
            timeline.add(Second.of(s, bySecond[s]));
        }
        Arrays.sort(samples);
        return Summary.of(samples).withTimeline(timeline);
    }

    /** Every thread's samples and times so far, in two arrays of the same order. */
    private long[][] merged() {
        List<long[][]> parts = new ArrayList<>();
        int size = 0;
        for (Recorder r : recorders) {
            long[][] part = r.copy();
            parts.add(part);
            size += part[0].length;
        }
        long[] samples = new long[size];
        long[] takenAt = new long[size];
        int at = 0;
        for (long[][] part : parts) {
            System.arraycopy(part[0], 0, samples, at, part[0].length);
            System.arraycopy(part[1], 0, takenAt, at, part[1].length);
            at += part[0].length;
        }
        return new long[][] {samples, takenAt};
    }

    /** One thread's samples; locked only against a summary read while that thread records. */
    private static final class Recorder {
        private long[] samples = new long[1024];
        private long[] takenAt = new long[1024];
        private int size;

        synchronized void add(long nanos, long at) {
            if (size == samples.length) {
                samples = Arrays.copyOf(samples, samples.length * 2);
                takenAt = Arrays.copyOf(takenAt, takenAt.length * 2);
            }
            takenAt[size] = at;
            samples[size++] = Math.max(0, nanos);
        }

        synchronized int size() {
            return size;
        }

        synchronized long[][] copy() {
            return new long[][] {Arrays.copyOf(samples, size), Arrays.copyOf(takenAt, size)};
        }
    }

    /** The samples taken in one second of a run: how many, and their median, p99 and max. */
    record Second(int second, long count, long p50, long p99, long max) {
        static Second of(int second, long[] sorted) {
            return new Second(second, sorted.length, percentile(sorted, 50), percentile(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("second", second);
            m.put("count", count);
            m.put("p50_us", Summary.micros(p50));
            m.put("p99_us", Summary.micros(p99));
            m.put("max_us", Summary.micros(max));
            return m;
        }
    }

    /**
     * The nearest-rank percentile of sorted samples: the smallest sample with at least {@code p}
     * percent of the samples at or below it; 0 when there is none.
     */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        if (p <= 0) {
            return sorted[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9); // 99.9 % of 10,000 is 9,990, not 9,991
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** Count, mean and percentiles, in nanoseconds, and the timeline by second when one was asked for. */
    record Summary(long count, long mean, long p50, long p90, long p99, long p999, long max, List<Second> timeline) {
        Summary {
            timeline = List.copyOf(timeline);
        }

        static Summary of(long[] sorted) {
            long sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return new Summary(sorted.length, sorted.length == 0 ? 0 : sum / sorted.length,
                    percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                    percentile(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1], List.of());
        }

        Summary withTimeline(List<Second> seconds) {
            return new Summary(count, mean, p50, p90, p99, p999, max, seconds);
        }

        /** {@code p50 1.234 ms  p90 ...}, milliseconds with microsecond precision. */
        String line() {
            return count == 0 ? "no samples"
                    : String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s, %,d samples)",
                    ms(p50), ms(p90), ms(p99), ms(p999), ms(max), ms(mean), count);
        }

        /** The figures in microseconds, for the JSON result. */
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("mean_us", micros(mean));
            m.put("p50_us", micros(p50));
            m.put("p90_us", micros(p90));
            m.put("p99_us", micros(p99));
            m.put("p999_us", micros(p999));
            m.put("max_us", micros(max));
            if (!timeline.isEmpty()) {
                m.put("timeline", timeline.stream().map(Second::json).toList());
            }
            return m;
        }

        static String ms(long nanos) {
            return String.format("%.3f ms", nanos / 1e6);
        }

        static long micros(long nanos) {
            return Math.round(nanos / 1e3);
        }
    }
}
