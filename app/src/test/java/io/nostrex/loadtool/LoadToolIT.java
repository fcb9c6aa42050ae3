package io.nostrex.loadtool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.app.it.TestInfra;
import io.nostrex.app.it.TestRelay;
import io.nostrex.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each bench mode, briefly and with tiny counts, against the real relay: every answer must come back. */
class LoadToolIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static String url;
    static Target target;

    @BeforeAll
    static void start() throws Exception {
        url = "ws://127.0.0.1:" + TestRelay.get().gatewayA().port() + "/";
        target = Target.of(URI.create(url), TIMEOUT);
    }

    @Test
    void publishClosedLoopGetsAnOkForEveryEvent() throws Exception {
        Corpus corpus = PublishCommand.sign(300, 5, List.of(1, 1, 7, 30023), 60, Corpus.runTag(), List.of());
        PublishResult r = new PublishRun(corpus, new PublishRun.Plan(2, 8, 0, null, TIMEOUT)).run(target);
        assertThat(r.sent()).isEqualTo(300);
        assertThat(r.accepted()).as(r.summary()).isEqualTo(300);
        assertThat(r.missing()).isZero();
        assertThat(r.complete()).isTrue();
        assertThat(r.latency().count()).isEqualTo(300);
    }

    @Test
    void publishOpenLoopAtARateStopsAtTheDuration() throws Exception {
        // Given 1,000 events and 100 events/s for 1 s: about 100 are sent, each answered
        Corpus corpus = PublishCommand.sign(1_000, 3, List.of(1), 20, Corpus.runTag(), List.of());
        PublishResult r = new PublishRun(corpus, new PublishRun.Plan(1, 32, 100, Duration.ofSeconds(1), TIMEOUT)).run(target);
        assertThat(r.sent()).isBetween(90L, 101L);
        assertThat(r.accepted()).as(r.summary()).isEqualTo(r.sent());
        assertThat(r.complete()).isTrue();
    }

    @Test
    void publishingTheSameEventsTwiceIsAnsweredAsDuplicates() throws Exception {
        Corpus corpus = PublishCommand.sign(20, 1, List.of(1), 20, Corpus.runTag(), List.of());
        PublishRun.Plan plan = new PublishRun.Plan(1, 4, 0, null, TIMEOUT);
        new PublishRun(corpus, plan).run(target);
        PublishResult again = new PublishRun(corpus, plan).run(target);
        assertThat(again.complete()).isTrue();
        assertThat(again.accepted() + again.rejectedCount()).isEqualTo(20);
        assertThat(again.acceptedNotes()).containsEntry("duplicate", 20L);
    }

    @Test
    void fanoutDeliversEveryEventToEverySubscriber() throws Exception {
        FanoutResult r = new FanoutRun(new FanoutRun.Plan(20, 20, Duration.ofSeconds(2), 10, TIMEOUT, null)).run(target);
        assertThat(r.eose()).isEqualTo(20);
        assertThat(r.published().accepted()).isEqualTo(40);
        assertThat(r.expected()).isEqualTo(20 * 40);
        assertThat(r.delivered()).as(r.summary()).isEqualTo(20 * 40);
        assertThat(r.missing()).isZero();
        assertThat(r.duplicates()).isZero();
        assertThat(r.latency().count()).isEqualTo(800);
        assertThat(r.complete()).isTrue();
    }

    @Test
    void queryWithPreloadThroughTheCommandWritesACompleteResult(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("query.json");
        int status = new CommandLine(new BenchCommand()).execute("query", "--url", url, "--preload", "400",
                "--authors", "20", "--topics", "10", "--connections", "3", "--limit", "10", "--duration", "2",
                "--relay-pid", String.valueOf(ProcessHandle.current().pid()), "--json", json.toString());
        assertThat(status).isZero();
        JsonNode doc = Json.read(Files.readString(json));
        JsonNode result = doc.get("result");
        assertThat(doc.get("mode").asText()).isEqualTo("query");
        assertThat(result.get("preload").get("accepted").asLong()).isEqualTo(400);
        assertThat(result.get("queries").asLong()).isPositive();
        assertThat(result.get("unanswered").asInt()).isZero();
        assertThat(result.get("complete").asBoolean()).isTrue();
        assertThat(result.get("by_filter").fieldNames()).toIterable().containsExactlyElementsOf(QueryPool.TYPES);
        for (String shape : QueryPool.TYPES) {
            assertThat(result.get("by_filter").get(shape).get("latency").get("count").asLong()).as(shape).isPositive();
        }
        // authors, #t and #p filters of the preload are full: 20 events per author and per #p, 40 per #t,
        // and the popular #t is on half of the 400
        for (String full : List.of("#t", "#t popular")) {
            assertThat(result.get("by_filter").get(full).get("events").asLong()).as(full)
                    .isEqualTo(10 * result.get("by_filter").get(full).get("latency").get("count").asLong());
        }
        assertThat(result.get("cpu").get("relay_cpu_seconds").isNumber()).isTrue();
    }

    @Test
    void floodSendsEveryShapeAndEveryProbeIsAnswered(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("flood.json");
        int status = new CommandLine(new BenchCommand()).execute("flood", "--url", url, "--frames", "1000", "--rate",
                "1000", "--attackers", "5", "--probes", "2", "--baseline", "1", "--settle", "0", "--json", json.toString());
        assertThat(status).isZero();
        JsonNode result = Json.read(Files.readString(json)).get("result");
        assertThat(result.get("frames").asLong()).isEqualTo(1000);
        for (FloodRun.Shape shape : FloodRun.shapes()) {
            assertThat(result.get("by_shape").get(shape.name()).asLong()).as(shape.name()).isEqualTo(shape.weight());
        }
        assertThat(result.get("unanswered").asInt()).isZero();
        assertThat(result.get("answers").asLong()).isPositive();
        assertThat(result.get("closed_by_relay").asInt()).as("oversized frames close their connection").isPositive();
        assertThat(result.get("flood_p99_us").asLong()).isPositive();
        assertThat(result.get("relay_live_heap_kib_before").asLong()).as("read from /metrics").isPositive();
    }

    @Test
    void querySamplesTheStoreWhenNotPreloaded() throws Exception {
        publishClosedLoopGetsAnOkForEveryEvent();
        QueryPool pool = QueryPool.sample(target, TIMEOUT);
        assertThat(pool.ids()).isNotEmpty();
        QueryResult r = new QueryRun(new QueryRun.Plan(2, 20, Duration.ofSeconds(1), TIMEOUT), pool).run(target);
        assertThat(r.complete()).as(r.summary()).isTrue();
        assertThat(r.events()).isPositive();
    }

    @Test
    void idleConnectionsAllConnectAndHoldWithTheRelayMemoryRead() throws Exception {
        String pid = String.valueOf(ProcessHandle.current().pid()); // the relay runs in this JVM
        IdleResult r = new IdleRun(new IdleRun.Plan(50, Duration.ofSeconds(1), 20, TIMEOUT, pid)).run(target);
        assertThat(r.connected()).isEqualTo(50);
        assertThat(r.eose()).isEqualTo(50);
        assertThat(r.stillOpen()).isEqualTo(50);
        assertThat(r.complete()).as(r.summary()).isTrue();
        assertThat(r.relayRssBefore()).isPresent();
        assertThat(r.perConnectionBytes(r.relayRssConnected())).isPresent();
    }

    @Test
    void publishThroughTheCommandExitsZeroAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("publish.json");
        int status = new CommandLine(new BenchCommand()).execute("publish", "--url", url, "--events", "200",
                "--connections", "2", "--in-flight", "4", "--authors", "3", "--json", json.toString());
        assertThat(status).isZero();
        JsonNode result = Json.read(Files.readString(json)).get("result");
        assertThat(result.get("sent").asLong()).isEqualTo(200);
        assertThat(result.get("accepted").asLong()).isEqualTo(200);
        assertThat(result.get("missing").asLong()).isZero();
        assertThat(result.get("latency_event_to_ok").get("p99_us").asLong()).isPositive();
    }

    @Test
    void hopsReadsTheTimesOfTheEventsJustPublished() throws Exception {
        Corpus corpus = PublishCommand.sign(50, 2, List.of(1), 20, Corpus.runTag(), List.of());
        assertThat(new PublishRun(corpus, new PublishRun.Plan(1, 8, 0, null, TIMEOUT)).run(target).accepted()).isEqualTo(50);
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            status = new CommandLine(new BenchCommand()).execute("hops", "--kafka", TestInfra.get().bootstrapServers(),
                    "--last", "200", "--timeout", "30");
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        for (String hop : List.of("receive->ingress", "ingress->events", "events->stored", "receive->stored")) {
            assertThat(out).as(out).containsPattern(hop + " +p50 [0-9.]+ ms .*\\(mean [0-9.]+ ms, [1-9][0-9,]* samples\\)");
        }
    }
}
