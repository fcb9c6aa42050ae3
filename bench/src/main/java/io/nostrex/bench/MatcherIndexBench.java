package io.nostrex.bench;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.matcher.SubscriptionIndex;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matcher's question for one event: which subscriptions want it? The inverted index against a
 * naive scan of every filter, at 1k, 10k and 100k live subscriptions. Subscriptions have the shapes
 * clients send: follow feeds (authors + kinds), mentions (#p), threads (#e), profile lookups (ids),
 * hashtag feeds (#t) and a few global feeds (kinds only), over the real corpus's authors and ids.
 * Events: the corpus, round-robin.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx4g")
public class MatcherIndexBench {
    @Param({"1000", "10000", "100000"})
    public int subscriptions;

    /**
     * Whether half the subscriptions carry a {@code since}, as clients send on live feeds (here up to a
     * day before the oldest corpus event, so the same subscriptions match either way).
     */
    @Param({"false", "true"})
    public boolean withSince;

    private final SubscriptionIndex index = new SubscriptionIndex();
    private final List<Filter> allFilters = new ArrayList<>();
    private List<Event> events;
    private int next;

    @Setup
    public void setup() throws Exception {
        events = new ArrayList<>();
        for (String line : Corpus.lines()) {
            events.add(EventParser.parse(line));
        }
        List<String> pubkeys = events.stream().map(Event::pubkey).distinct().toList();
        List<String> ids = events.stream().map(Event::id).toList();
        long oldest = events.stream().mapToLong(Event::createdAt).min().orElseThrow();
        long heapBefore = usedHeap();
        Random random = new Random(42);
        for (int i = 0; i < subscriptions; i++) {
            Filter f = filter(random, pubkeys, ids, i);
            if (withSince && random.nextBoolean()) {
                f = new Filter(f.ids(), f.authors(), f.kinds(), f.tags(), oldest - random.nextInt(86_400), null, f.limit(), null);
            }
            allFilters.add(f);
            index.put(new SubscriptionRecord("gw-" + (i % 4), i, "sub" + i, 1, List.of(f)));
        }
        long targets = 0;
        for (Event e : events) {
            for (List<byte[]> values : index.match(e).values()) {
                for (byte[] value : values) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(Delivery.TO, value);
                    targets += Delivery.readTargets(headers).size(); // one subscription each
                }
            }
        }
        // the time per event follows the deliveries it makes: print them so the two can be read
        // together, with the heap the subscriptions take (index and filters, after a full GC)
        System.out.printf("%n%d subscriptions%s: %.1f matching subscriptions per corpus event on average, %.1f MiB of heap%n",
                subscriptions, withSince ? " (half with since)" : "", (double) targets / events.size(),
                (usedHeap() - heapBefore) / 1048576.0);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static Filter filter(Random r, List<String> pubkeys, List<String> ids, int i) {
        int shape = r.nextInt(100);
        if (shape < 40) {
            return new Filter(null, pick(r, pubkeys, 1 + r.nextInt(50)), Set.of(1, 6, 7), Map.of(), null, null, 100, null);
        }
        if (shape < 60) {
            return new Filter(null, null, Set.of(1, 7, 9735), Map.of('p', pick(r, pubkeys, 1)), null, null, 100, null);
        }
        if (shape < 75) {
            return new Filter(null, null, null, Map.of('e', pick(r, ids, 1)), null, null, 100, null);
        }
        if (shape < 90) {
            return new Filter(pick(r, ids, 1 + r.nextInt(5)), null, null, Map.of(), null, null, null, null);
        }
        if (shape < 99) {
            return new Filter(null, null, Set.of(1), Map.of('t', Set.of("tag" + r.nextInt(1000))), null, null, 50, null);
        }
        return new Filter(null, null, Set.of(1), Map.of(), null, null, 50, null);
    }

    private static Set<String> pick(Random r, List<String> from, int n) {
        java.util.HashSet<String> out = new java.util.HashSet<>();
        while (out.size() < Math.min(n, from.size())) {
            out.add(from.get(r.nextInt(from.size())));
        }
        return out;
    }

    private Event nextEvent() {
        Event e = events.get(next);
        next = next + 1 == events.size() ? 0 : next + 1;
        return e;
    }

    /** The index's match: every gateway's {@code nostrex.to} header values, ready to send. */
    @Benchmark
    public Map<String, List<byte[]>> index() {
        return index.match(nextEvent());
    }

    @Benchmark
    public int naiveScan() {
        Event e = nextEvent();
        int matched = 0;
        for (Filter f : allFilters) {
            if (f.matches(e)) {
                matched++;
            }
        }
        return matched;
    }
}
