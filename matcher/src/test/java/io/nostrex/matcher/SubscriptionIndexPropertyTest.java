package io.nostrex.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Index, then confirm: for random subscriptions over a small universe of ids, authors, kinds, tags
 * and times, and random events over the same universe, the index routes exactly like a naive scan of
 * every filter of every subscription, through puts, replacements, removals and gateway removals.
 */
class SubscriptionIndexPropertyTest {
    private static final List<String> IDS = hexes('1', '2', '3', '4');
    private static final List<String> AUTHORS = hexes('a', 'b', 'c', 'd');
    private static final List<Integer> KINDS = List.of(0, 1, 3, 7, 30023);
    private static final List<Character> LETTERS = List.of('e', 'p', 't', 'T');
    private static final List<String> TAG_VALUES = List.of("x", "y", "z", IDS.get(0), AUTHORS.get(0));
    private static final List<String> GATEWAYS = List.of("gw-a", "gw-b", "gw-c");

    private SubscriptionIndex index = new SubscriptionIndex();
    private final Map<String, SubscriptionRecord> live = new LinkedHashMap<>();

    @ParameterizedTest(name = "seed {0}, header values of at most {1} bytes")
    @CsvSource(textBlock = """
            1,        262144
            2,        262144
            3,        262144
            42,       262144
            20240601, 262144
            5,        40
            6,        90
            """)
    void indexRoutesLikeANaiveScan(long seed, int budget) {
        index = new SubscriptionIndex(budget);
        Random random = new Random(seed);
        for (int round = 0; round < 10; round++) {
            // Given a random mix of new, replaced and removed subscriptions
            mutate(random, 60);
            // When random events are matched, Then the index agrees with a scan of every filter
            for (int e = 0; e < 500; e++) {
                Event event = randomEvent(random);
                index.match(event).values().forEach(values -> values.forEach(v ->
                        assertThat(v.length).as("a header value").isLessThanOrEqualTo(budget)));
                Map<String, List<Delivery.Target>> routing = Fixtures.routing(index, event);
                assertThat(Fixtures.normalized(routing)).as("event %s", event).isEqualTo(naive(event));
                routing.values().forEach(targets -> assertThat(Fixtures.pairs(targets)).doesNotHaveDuplicates());
            }
            assertThat(index.size()).isEqualTo(live.size());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7})
    void matchesStayCorrectWhileOtherSubscriptionsChange(long seed) throws Exception {
        // Given a stable subscription to every kind-1 event, and a writer churning others
        index.put(new SubscriptionRecord("gw-stable", 1, "s", 1, List.of(Fixtures.filter("{'kinds':[1]}"))));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Future<?> writer = pool.submit(() -> {
            Random random = new Random(seed);
            while (!stop.get()) {
                mutate(random, 20);
            }
        });
        // When two readers match concurrently, Then each match still reaches the stable subscription
        List<Future<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Random random = new Random(seed + r);
            readers.add(pool.submit(() -> readUntilDone(random)));
        }
        for (Future<Integer> reader : readers) {
            assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(2000);
        }
        stop.set(true);
        writer.get(60, TimeUnit.SECONDS);
        pool.shutdown();
    }

    private int readUntilDone(Random random) {
        int checked = 0;
        for (int i = 0; i < 2000; i++) {
            Event e = randomEvent(random);
            Event kind1 = new Event(e.id(), e.pubkey(), e.createdAt(), 1, e.tags(), "", e.sig());
            assertThat(index.match(kind1)).containsKey("gw-stable");
            checked++;
        }
        return checked;
    }

    /** Applies random puts, replacements, removals and (rarely) a gateway removal; not thread-safe. */
    private synchronized void mutate(Random random, int operations) {
        for (int i = 0; i < operations; i++) {
            int op = random.nextInt(20);
            if (op == 0) {
                String gateway = pick(random, GATEWAYS);
                index.removeGateway(gateway);
                live.values().removeIf(s -> s.gateway().equals(gateway));
            } else if (op < 5 && !live.isEmpty()) {
                String key = pick(random, new ArrayList<>(live.keySet()));
                index.remove(key);
                live.remove(key);
            } else {
                SubscriptionRecord sub = randomSubscription(random);
                index.put(sub);
                live.put(sub.key(), sub);
            }
        }
    }

    private Map<String, Map<Long, Set<String>>> naive(Event event) {
        Map<String, Map<Long, Set<String>>> out = new TreeMap<>();
        for (SubscriptionRecord sub : live.values()) {
            if (Filter.anyMatches(sub.filters(), event)) {
                out.computeIfAbsent(sub.gateway(), g -> new TreeMap<>())
                        .computeIfAbsent(sub.connection(), c -> new TreeSet<>()).add(sub.subscriptionId());
            }
        }
        return out;
    }

    private static SubscriptionRecord randomSubscription(Random random) {
        List<Filter> filters = new ArrayList<>();
        for (int i = random.nextInt(3) + 1; i > 0; i--) {
            filters.add(randomFilter(random));
        }
        return new SubscriptionRecord(pick(random, GATEWAYS), random.nextInt(4), "sub" + random.nextInt(6),
                random.nextInt(1000), filters);
    }

    private static Filter randomFilter(Random random) {
        Map<Character, Set<String>> tags = new HashMap<>();
        for (Character letter : LETTERS) {
            if (random.nextInt(4) == 0) {
                tags.put(letter, subset(random, TAG_VALUES));
            }
        }
        return new Filter(maybe(random, IDS, 5), maybe(random, AUTHORS, 3), maybe(random, KINDS, 2), tags,
                random.nextInt(4) == 0 ? 100L + random.nextInt(10) : null,
                random.nextInt(4) == 0 ? 100L + random.nextInt(10) : null, null, null);
    }

    /** Absent (null) most of the time, else a random subset, now and then empty. */
    private static <T> Set<T> maybe(Random random, List<T> universe, int oneIn) {
        return random.nextInt(oneIn) == 0 ? subset(random, universe) : null;
    }

    private static <T> Set<T> subset(Random random, List<T> universe) {
        Set<T> out = new java.util.HashSet<>();
        int size = random.nextInt(20) == 0 ? 0 : random.nextInt(universe.size()) + 1;
        while (out.size() < size) {
            out.add(pick(random, universe));
        }
        return out;
    }

    private static Event randomEvent(Random random) {
        List<List<String>> tags = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            String name = random.nextInt(8) == 0 ? "tt" : String.valueOf(pick(random, LETTERS));
            tags.add(random.nextInt(10) == 0 ? List.of(name) : List.of(name, pick(random, TAG_VALUES)));
        }
        return new Event(pick(random, IDS), pick(random, AUTHORS), 98 + random.nextInt(14), pick(random, KINDS),
                tags, "", Fixtures.SIG);
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static List<String> hexes(char... digits) {
        List<String> out = new ArrayList<>();
        for (char d : digits) {
            out.add(String.valueOf(d).repeat(64));
        }
        return List.copyOf(out);
    }
}
