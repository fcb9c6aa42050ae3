package io.nostrex.loadtool;

import io.nostrex.protocol.EventSigner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nostrex bench publish}: ingest throughput and EVENT->OK latency. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Ingest: publish pre-signed events, report accepted/s and EVENT->OK latency.",
                "C connections with F EVENTs awaiting their OK on each (closed loop), or --rate for open loop.",
                "Reports OK true per second, OK false by reason, EVENT->OK latency and missing OKs."})
final class PublishCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = "--connections", defaultValue = "8", description = "connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--in-flight", defaultValue = "32", description = "EVENTs awaiting their OK per connection (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--events", defaultValue = "100000", description = "events to pre-sign and send at most (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "stop sending after this long (default: when --events are sent)")
    Double durationSeconds;

    @Option(names = "--rate", defaultValue = "0", description = "events/s, open loop (default: 0 = as fast as the OKs come back)")
    double rate;

    @Option(names = "--authors", defaultValue = "100", description = "distinct keys signing the events (default: ${DEFAULT-VALUE})")
    int authors;

    @Option(names = "--kinds", defaultValue = "1", split = ",", description = "kinds taken round-robin, e.g. 1,1,1,7,30023 (default: ${DEFAULT-VALUE})")
    List<Integer> kinds;

    @Option(names = "--content-bytes", defaultValue = "100", description = "content length (default: ${DEFAULT-VALUE})")
    int contentBytes;

    @Option(names = "--history-days", defaultValue = "0", paramLabel = "DAYS",
            description = "spread the events' created_at evenly over the last DAYS days, oldest first, as a relay's"
                    + " history (default: 0, every event now)")
    int historyDays;

    @Override
    public Integer call() throws Exception {
        validate();
        options.header("publish", String.format("%d connections x %d in flight, %s, %,d events%s", connections, inFlight,
                rate > 0 ? String.format("open loop at %,.0f/s", rate) : "closed loop", events,
                durationSeconds == null ? "" : ", at most " + durationSeconds + " s"));
        long t = System.nanoTime();
        Corpus corpus = sign(events, authors, kinds, contentBytes, Corpus.runTag(), List.of(), historyDays * 86_400L);
        System.out.printf("  signed      %,d events by %d authors in %.1f s (not measured)%n", events, authors,
                (System.nanoTime() - t) / 1e9);
        CpuUse.Meter meter = CpuUse.start(options.relayPid());
        PublishResult r = new PublishRun(corpus, plan()).run(options.connect());
        CpuUse cpu = meter.stop();
        System.out.print(r.summary());
        System.out.print(cpu.line());
        Map<String, Object> json = r.json();
        json.put("cpu", cpu.json());
        options.writeJson("publish", params(), json);
        return r.complete() ? 0 : 1;
    }

    void validate() {
        options.validate();
        options.positive("--connections", connections);
        options.positive("--in-flight", inFlight);
        options.positive("--events", events);
        options.positive("--authors", authors);
        options.atLeast("--rate", rate, 0);
        options.atLeast("--content-bytes", contentBytes, 0);
        options.atLeast("--history-days", historyDays, 0);
        if (durationSeconds != null) {
            options.positive("--duration", durationSeconds);
        }
        if (kinds.isEmpty() || kinds.stream().anyMatch(k -> k < 0 || k > 65535)) {
            throw options.fail("--kinds must be kinds between 0 and 65535, got " + kinds);
        }
    }

    PublishRun.Plan plan() {
        return new PublishRun.Plan(connections, inFlight, rate,
                durationSeconds == null ? null : Duration.ofMillis((long) (durationSeconds * 1000)), options.timeout());
    }

    /** Events of a publish run, all created now (see below). */
    static Corpus sign(int n, int authorCount, List<Integer> kinds, int contentBytes, String runTag,
                       List<List<String>> more) {
        return sign(n, authorCount, kinds, contentBytes, runTag, more, 0);
    }

    /**
     * Events of a publish run: authors round-robin, the kind mix round-robin, the run tag plus
     * {@code more}; created now, or spread evenly over the {@code spanSeconds} before now, oldest first.
     */
    static Corpus sign(int n, int authorCount, List<Integer> kinds, int contentBytes, String runTag,
                       List<List<String>> more, long spanSeconds) {
        List<EventSigner> keys = Corpus.keys(authorCount);
        long now = System.currentTimeMillis() / 1000;
        return Corpus.sign(n, i -> {
            int kind = Corpus.kindOf(kinds, i);
            long createdAt = now - (n < 2 ? 0 : spanSeconds * (n - 1 - i) / (n - 1));
            return keys.get(i % keys.size()).sign(createdAt, kind, Corpus.tags(runTag, kind, i, more),
                    Corpus.content("nostrex bench " + i, contentBytes));
        });
    }

    Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("connections", connections);
        p.put("in_flight", inFlight);
        p.put("events", events);
        p.put("duration_seconds", durationSeconds);
        p.put("rate", rate);
        p.put("authors", authors);
        p.put("kinds", kinds);
        p.put("content_bytes", contentBytes);
        p.put("history_days", historyDays);
        return p;
    }
}
