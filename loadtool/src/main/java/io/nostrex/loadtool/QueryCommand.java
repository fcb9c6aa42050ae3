package io.nostrex.loadtool;

import io.nostrex.protocol.EventSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nostrex bench query}: REQ -> EOSE -> CLOSE loops over a store, optionally preloaded first. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Stored queries: REQ -> EOSE -> CLOSE loops, queries/s and REQ->EOSE latency.",
                "Optionally preload N events first (through the relay, with the publish machinery). Then C",
                "connections loop for D seconds with filters of each shape in turn (--shapes), each with a limit:",
                "authors, authors+kinds, kinds, #t, #t several, #t+kinds, #t popular (a #t on most events), #p, ids,",
                "window (an hour of since/until).",
                "Without --preload the filter values are sampled from the newest events in the store."})
final class QueryCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = "--connections", defaultValue = "8", description = "query connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--limit", defaultValue = "100", description = "limit of every filter (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS", description = "how long to query (default: ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--preload", defaultValue = "0", paramLabel = "N", description = "events to publish first (default: none)")
    int preload;

    @Option(names = "--authors", defaultValue = "1000", description = "preload: distinct authors (default: ${DEFAULT-VALUE})")
    int authors;

    @Option(names = "--topics", defaultValue = "200", description = "preload: distinct #t values (default: ${DEFAULT-VALUE})")
    int topics;

    @Option(names = "--kinds", defaultValue = "1,1,1,7", split = ",", description = "preload: kinds round-robin (default: ${DEFAULT-VALUE})")
    List<Integer> kinds;

    @Option(names = "--popular-share", defaultValue = "0.5", paramLabel = "FRACTION",
            description = "preload: share of the events that carry #t " + POPULAR + ", a popular hashtag (default: ${DEFAULT-VALUE})")
    double popularShare;

    @Option(names = "--shapes", split = ",", paramLabel = "SHAPE",
            description = "the filter shapes to query, in turn (default: every shape the store has values for)")
    List<String> shapes;

    @Option(names = "--preload-connections", defaultValue = "8", description = "preload: connections (default: ${DEFAULT-VALUE})")
    int preloadConnections;

    @Option(names = "--preload-in-flight", defaultValue = "32", description = "preload: EVENTs in flight per connection (default: ${DEFAULT-VALUE})")
    int preloadInFlight;

    @Override
    public Integer call() throws Exception {
        validate();
        options.header("query", String.format("%d connections, limit %d, %s s%s", connections, limit, durationSeconds,
                preload > 0 ? String.format(", after a preload of %,d events", preload) : ""));
        Map<String, Object> json = new LinkedHashMap<>();
        boolean preloaded = true;
        QueryPool pool;
        if (preload > 0) {
            List<EventSigner> keys = Corpus.keys(authors);
            long t = System.nanoTime();
            Corpus corpus = preloadCorpus(preload, keys, topics, kinds, popularShare);
            System.out.printf("  preload     %,d events signed in %.1f s, publishing...%n", preload, (System.nanoTime() - t) / 1e9);
            PublishResult p = new PublishRun(corpus, new PublishRun.Plan(preloadConnections, preloadInFlight, 0, null,
                    options.timeout())).run(options.connect());
            System.out.print(p.summary().replace("\n  ", "\n  preload "));
            json.put("preload", p.json());
            preloaded = p.complete() && p.accepted() == p.sent();
            pool = preloadPool(corpus, keys, topics, kinds, popularShare);
        } else {
            pool = QueryPool.sample(options.connect(), options.timeout());
            System.out.printf("  sampled     %d ids, %d authors, %d kinds, %d #t, %d #p from the newest events;"
                            + " popular #t: %s%n", pool.ids().size(), pool.authors().size(), pool.kinds().size(),
                    pool.topics().size(), pool.mentions().size(), pool.popular() == null ? "none" : pool.popular());
            if (pool.ids().isEmpty()) {
                System.out.println("  the store is empty: run with --preload N");
                return 1;
            }
        }
        CpuUse.Meter meter = CpuUse.start(options.relayPid());
        List<String> types = shapes == null ? pool.types() : shapes.stream().filter(pool.types()::contains).toList();
        if (types.isEmpty()) {
            System.out.println("  the store has no values for " + shapes);
            return 1;
        }
        QueryResult r = new QueryRun(plan(), pool, types).run(options.connect());
        CpuUse cpu = meter.stop();
        System.out.print(r.summary());
        System.out.print(cpu.line());
        json.putAll(r.json());
        json.put("cpu", cpu.json());
        options.writeJson("query", params(), json);
        return r.complete() && preloaded ? 0 : 1;
    }

    /** The {@code #t} value a share of the preloaded events carry. */
    static final String POPULAR = "bench-popular";

    void validate() {
        options.validate();
        if (popularShare < 0 || popularShare > 1) {
            throw options.fail("--popular-share must be between 0 and 1, got " + popularShare);
        }
        if (shapes != null && !QueryPool.TYPES.containsAll(shapes)) {
            throw options.fail("--shapes must be among " + QueryPool.TYPES + ", got " + shapes);
        }
        options.positive("--connections", connections);
        options.positive("--limit", limit);
        options.positive("--duration", durationSeconds);
        options.atLeast("--preload", preload, 0);
        options.positive("--authors", authors);
        options.positive("--topics", topics);
        options.positive("--preload-connections", preloadConnections);
        options.positive("--preload-in-flight", preloadInFlight);
        if (kinds.isEmpty() || kinds.stream().anyMatch(k -> k < 0 || k > 65535)) {
            throw options.fail("--kinds must be kinds between 0 and 65535, got " + kinds);
        }
    }

    QueryRun.Plan plan() {
        return new QueryRun.Plan(connections, limit, Duration.ofMillis((long) (durationSeconds * 1000)), options.timeout());
    }

    static String topic(int k) {
        return "bench-topic-" + k;
    }

    /**
     * Event i: author i mod A, kind from the mix, one second older than event i+1, a {@code #t} of
     * {@code topics} values and a {@code #p} naming another author, so every filter type is selective;
     * and {@code #t} {@link #POPULAR} on a share of them, spread evenly, like a hashtag everyone uses.
     */
    static Corpus preloadCorpus(int n, List<EventSigner> keys, int topics, List<Integer> kinds, double popularShare) {
        String runTag = Corpus.runTag();
        long now = System.currentTimeMillis() / 1000;
        return Corpus.sign(n, i -> {
            int kind = Corpus.kindOf(kinds, i);
            List<List<String>> more = new ArrayList<>(List.of(List.of("t", topic(i % topics)),
                    List.of("p", keys.get((i * 7 + 1) % keys.size()).pubkey())));
            if (Math.floor((i + 1) * popularShare) > Math.floor(i * popularShare)) {
                more.add(List.of("t", POPULAR));
            }
            return keys.get(i % keys.size()).sign(now - (n - i), kind, Corpus.tags(runTag, kind, i, more),
                    Corpus.content("nostrex bench preload " + i, 100));
        });
    }

    /**
     * The filter values of a preload: its authors (also the #p values), kinds, topics, up to 10,000
     * ids, the popular #t (when any event carries it) and the span of created_at.
     */
    static QueryPool preloadPool(Corpus corpus, List<EventSigner> keys, int topics, List<Integer> kinds,
                                 double popularShare) {
        List<String> pubkeys = keys.stream().map(EventSigner::pubkey).toList();
        List<String> topicValues = new ArrayList<>();
        for (int k = 0; k < topics; k++) {
            topicValues.add(topic(k));
        }
        List<String> ids = new ArrayList<>();
        int step = Math.max(1, corpus.size() / 10_000);
        for (int i = 0; i < corpus.size(); i += step) {
            ids.add(corpus.ids[i]);
        }
        long newest = System.currentTimeMillis() / 1000;
        return new QueryPool(pubkeys, List.copyOf(new LinkedHashSet<>(kinds)), topicValues, pubkeys, ids,
                popularShare > 0 ? POPULAR : null, newest - corpus.size(), newest);
    }

    Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("connections", connections);
        p.put("limit", limit);
        p.put("duration_seconds", durationSeconds);
        p.put("preload", preload);
        p.put("authors", authors);
        p.put("topics", topics);
        p.put("kinds", kinds);
        p.put("popular_share", popularShare);
        p.put("shapes", shapes);
        return p;
    }
}
