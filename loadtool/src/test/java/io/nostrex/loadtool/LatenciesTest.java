package io.nostrex.loadtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    private static final long[] ONE_TO_HUNDRED = LongStream.rangeClosed(1, 100).toArray();

    @ParameterizedTest(name = "p{0} of 1..100 is {1}")
    @CsvSource({"0,1", "1,1", "50,50", "90,90", "99,99", "99.9,100", "100,100", "0.5,1", "50.5,51"})
    void nearestRankPercentiles(double p, long expected) {
        assertThat(Latencies.percentile(ONE_TO_HUNDRED, p)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "p{0} of [7] is 7")
    @CsvSource({"0", "50", "99", "100"})
    void oneSampleIsEveryPercentile(double p) {
        assertThat(Latencies.percentile(new long[] {7}, p)).isEqualTo(7);
    }

    @Test
    void noSamplesGiveZeros() {
        Latencies.Summary s = new Latencies().summary();
        assertThat(s).isEqualTo(new Latencies.Summary(0, 0, 0, 0, 0, 0, 0, java.util.List.of()));
        assertThat(s.line()).isEqualTo("no samples");
    }

    @Test
    void samplesAddedInAnyOrderFromManyThreadsAreSortedAndCounted() throws Exception {
        // Given 4 threads adding 1..10,000 in reverse, interleaved
        Latencies l = new Latencies();
        inThreads(4, offset -> {
            for (long v = 10_000 - offset; v > 0; v -= 4) {
                l.add(v * 1_000, 0);
            }
        });
        // Then the summary holds every sample
        Latencies.Summary s = l.summary();
        assertThat(s.count()).isEqualTo(10_000);
        assertThat(s.p50()).isEqualTo(5_000_000);
        assertThat(s.p90()).isEqualTo(9_000_000);
        assertThat(s.p99()).isEqualTo(9_900_000);
        assertThat(s.p999()).isEqualTo(9_990_000);
        assertThat(s.max()).isEqualTo(10_000_000);
        assertThat(s.mean()).isEqualTo(5_000_500);
    }

    @Test
    void samplesFromManyThreadsKeepTheirOwnTimesInTheTimeline() throws Exception {
        // Given thread t adding 1,000 samples of t ms, taken in second t
        long origin = 0;
        Latencies l = new Latencies();
        inThreads(3, second -> {
            for (int i = 0; i < 1_000; i++) {
                l.add(second * 1_000_000L, origin + second * 1_000_000_000L + i);
            }
        });
        // Then each second holds its thread's samples, and the count is all of them
        Latencies.Summary s = l.summary(origin);
        assertThat(l.count()).isEqualTo(3_000);
        assertThat(s.timeline()).containsExactly(
                new Latencies.Second(0, 1_000, 0, 0, 0),
                new Latencies.Second(1, 1_000, 1_000_000, 1_000_000, 1_000_000),
                new Latencies.Second(2, 1_000, 2_000_000, 2_000_000, 2_000_000));
    }

    @Test
    void negativeSamplesCountAsZero() {
        Latencies l = new Latencies();
        l.add(-5, 0);
        assertThat(l.summary().max()).isZero();
    }

    @Test
    void reportedInMillisecondsAndMicrosecondsWithMicrosecondPrecision() {
        Latencies.Summary s = Latencies.Summary.of(new long[] {1_234_567, 2_000_400, 9_999_400});
        assertThat(Latencies.Summary.ms(1_234_567)).isEqualTo("1.235 ms");
        assertThat(s.json()).containsEntry("p50_us", 2_000L).containsEntry("max_us", 9_999L)
                .containsEntry("count", 3L);
        assertThat(s.line()).startsWith("p50 2.000 ms  p90 9.999 ms  p99 9.999 ms");
    }

    @Test
    void theTimelineHasTheSamplesOfEachSecondSinceTheOrigin() {
        // Given samples taken in seconds 0, 0, 2 and one before the origin (it counts in second 0)
        long origin = 10_000_000_000L;
        Latencies l = new Latencies();
        l.add(3_000_000, origin + 100_000_000);
        l.add(1_000_000, origin + 900_000_000);
        l.add(7_000_000, origin - 5);
        l.add(5_000_000, origin + 2_500_000_000L);
        // Then second 1 is empty and each second has its own percentiles
        Latencies.Summary s = l.summary(origin);
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.timeline()).containsExactly(
                new Latencies.Second(0, 3, 3_000_000, 7_000_000, 7_000_000),
                new Latencies.Second(1, 0, 0, 0, 0),
                new Latencies.Second(2, 1, 5_000_000, 5_000_000, 5_000_000));
        assertThat(s.json().get("timeline")).asList().hasSize(3).first()
                .isEqualTo(java.util.Map.of("second", 0, "count", 3L, "p50_us", 3_000L, "p99_us", 7_000L, "max_us", 7_000L));
        // and a summary without an origin has none
        assertThat(l.summary().timeline()).isEmpty();
        assertThat(l.summary().json()).doesNotContainKey("timeline");
    }

    /** Runs {@code body(t)} on {@code n} threads, t = 0..n-1, and waits for them all. */
    private static void inThreads(int n, java.util.function.IntConsumer body) throws InterruptedException {
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            int index = t;
            threads[t] = new Thread(() -> body.accept(index));
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
