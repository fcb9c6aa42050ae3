package io.nostrex.loadtool;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact latency samples in nanoseconds: every sample is kept (a growing array of longs), and the
 * percentiles are read from a sorted copy. Thread-safe; a run of a few million samples costs a few
 * tens of MB, which is fine for a load tool and needs no histogram library.
 */
final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[size++] = Math.max(0, nanos);
    }

    synchronized int count() {
        return size;
    }

    /** The percentiles of the samples so far. */
    synchronized Summary summary() {
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return Summary.of(sorted);
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

    /** Count, mean and percentiles, in nanoseconds. */
    record Summary(long count, long mean, long p50, long p90, long p99, long p999, long max) {
        static Summary of(long[] sorted) {
            long sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return new Summary(sorted.length, sorted.length == 0 ? 0 : sum / sorted.length,
                    percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                    percentile(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
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
