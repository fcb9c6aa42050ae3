package io.nostrex.app.load;

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
                "connections loop for D seconds with filters by author, kind, #t, #p and ids, each with a limit.",
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
            Corpus corpus = preloadCorpus(preload, keys, topics, kinds);
            System.out.printf("  preload     %,d events signed in %.1f s, publishing...%n", preload, (System.nanoTime() - t) / 1e9);
            PublishResult p = new PublishRun(corpus, new PublishRun.Plan(preloadConnections, preloadInFlight, 0, null,
                    options.timeout())).run(options.connect());
            System.out.print(p.summary().replace("\n  ", "\n  preload "));
            json.put("preload", p.json());
            preloaded = p.complete() && p.accepted() == p.sent();
            pool = preloadPool(corpus, keys, topics, kinds);
        } else {
            pool = QueryPool.sample(options.connect(), options.timeout());
            System.out.printf("  sampled     %d ids, %d authors, %d kinds, %d #t, %d #p from the newest events%n",
                    pool.ids().size(), pool.authors().size(), pool.kinds().size(), pool.topics().size(), pool.mentions().size());
            if (pool.ids().isEmpty()) {
                System.out.println("  the store is empty: run with --preload N");
                return 1;
            }
        }
        CpuUse.Meter meter = CpuUse.start(options.relayPid());
        QueryResult r = new QueryRun(plan(), pool).run(options.connect());
        CpuUse cpu = meter.stop();
        System.out.print(r.summary());
        System.out.print(cpu.line());
        json.putAll(r.json());
        json.put("cpu", cpu.json());
        options.writeJson("query", params(), json);
        return r.complete() && preloaded ? 0 : 1;
    }

    void validate() {
        options.validate();
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
     * {@code topics} values and a {@code #p} naming another author, so every filter type is selective.
     */
    static Corpus preloadCorpus(int n, List<EventSigner> keys, int topics, List<Integer> kinds) {
        String runTag = Corpus.runTag();
        long now = System.currentTimeMillis() / 1000;
        return Corpus.sign(n, i -> {
            int kind = Corpus.kindOf(kinds, i);
            List<List<String>> more = List.of(List.of("t", topic(i % topics)),
                    List.of("p", keys.get((i * 7 + 1) % keys.size()).pubkey()));
            return keys.get(i % keys.size()).sign(now - (n - i), kind, Corpus.tags(runTag, kind, i, more),
                    Corpus.content("nostrex bench preload " + i, 100));
        });
    }

    /** The filter values of a preload: its authors (also the #p values), kinds, topics and up to 10,000 ids. */
    static QueryPool preloadPool(Corpus corpus, List<EventSigner> keys, int topics, List<Integer> kinds) {
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
        return new QueryPool(pubkeys, List.copyOf(new LinkedHashSet<>(kinds)), topicValues, pubkeys, ids);
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
        return p;
    }
}
