package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.RepoFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shows data: a real Prometheus (Debian's package; CI installs it) scrapes
 * the relay every second while clients publish, subscribe and query, then every query of
 * helm/nostrex/dashboards/nostrex.json is evaluated through Prometheus' HTTP API and must return
 * at least one finite value. A line that can never show anything fails here.
 */
class DashboardIT {
    static final String DASHBOARD = "helm/nostrex/dashboards/nostrex.json";
    /** Grafana's $__rate_interval, as this test's one-second scrapes allow. */
    private static final String RATE_INTERVAL = "15s";
    private static final Duration LOAD_BEFORE_QUERYING = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static Process prometheus;
    private static URI api;

    @BeforeAll
    static void startPrometheus() throws Exception {
        Path binary = onPath("prometheus");
        if (binary == null) {
            String missing = "no prometheus on PATH (Debian: apt-get install prometheus; .ci/docker-setup does)";
            assertThat(System.getenv("NOSTREX_REQUIRE_DOCKER")).as(missing).isNotEqualTo("1");
            Assumptions.abort(missing + ": DashboardIT skipped");
        }
        int gateway = TestRelay.get().gatewayA().port();
        dir = Files.createTempDirectory("nostrex-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                + "scrape_configs:\n  - job_name: nostrex\n    static_configs: [{targets: ['127.0.0.1:" + gateway + "']}]\n");
        int port = freePort();
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn").redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        api = URI.create("http://127.0.0.1:" + port + "/");
        waitUntilReady();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
            prometheus.destroyForcibly();
        }
        if (dir != null) {
            TestInfra.deleteRecursively(dir);
        }
    }

    @Test
    void everyDashboardQueryReturnsDataFromARelayUnderLoad() throws Exception {
        // Given the dashboard's queries
        List<String> queries = queries(Files.readString(RepoFiles.find(DASHBOARD)));
        assertThat(queries).hasSizeGreaterThan(30);

        // When clients publish, subscribe and query for a while, scraped every second
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<String> empty = new ArrayList<>();
        try {
            startLoad(load, running);
            Thread.sleep(LOAD_BEFORE_QUERYING.toMillis());

            // Then each query returns a finite value
            for (String query : queries) {
                String evaluated = query.replace("$__rate_interval", RATE_INTERVAL);
                if (!hasFiniteValue(evaluated)) {
                    empty.add(evaluated);
                }
            }
        } finally {
            running.set(false);
            load.shutdown();
            load.awaitTermination(30, TimeUnit.SECONDS);
        }
        assertThat(empty).as("dashboard queries without data (Prometheus log: %s)", dir.resolve("prometheus.log"))
                .isEmpty();
    }

    /** Publishers, live subscribers, one-shot queries, and now and then a refused event and a closed connection. */
    private static void startLoad(ExecutorService load, AtomicBoolean running) throws Exception {
        int port = TestRelay.get().gatewayA().port();
        int other = TestRelay.get().gatewayB().port();
        EventSigner[] authors = {EventSigner.random(), EventSigner.random()};
        for (EventSigner author : authors) {
            load.execute(() -> subscribeAndPublish(port, other, author, running));
        }
        load.execute(() -> queryAndMisbehave(other, authors[0], running));
    }

    private static void subscribeAndPublish(int port, int other, EventSigner author, AtomicBoolean running) {
        AtomicInteger n = new AtomicInteger();
        try (WsClient publisher = new WsClient(port); WsClient subscriber = new WsClient(other)) {
            subscriber.send(Nostr.req("live", "{\"authors\":[\"" + author.pubkey() + "\"]}"));
            while (running.get()) {
                Event e = author.sign(1, List.of(List.of("t", "dashboard")), "dashboard " + n.incrementAndGet());
                RelayIT.publish(publisher, e);
                subscriber.drain(Duration.ofMillis(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void queryAndMisbehave(int port, EventSigner author, AtomicBoolean running) {
        try {
            for (int round = 0; running.get(); round++) {
                try (WsClient c = new WsClient(port)) {
                    RelayIT.query(c, "q" + round, "{\"kinds\":[1],\"#t\":[\"dashboard\"],\"limit\":20}");
                    if (round % 10 == 0) {
                        Event forged = author.sign(1, List.of(), "forged " + round);
                        c.send(Nostr.event(forged).replace(forged.sig(), author.sign(1, List.of(), "x").sig()));
                        c.next(RelayIT.WAIT);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean hasFiniteValue(String query) throws Exception {
        JsonNode answer = get("api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asText()).as("%s: %s", query, answer).isEqualTo("success");
        for (JsonNode series : answer.at("/data/result")) {
            double v = Double.parseDouble(series.at("/value/1").asText().replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
            if (Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    /** Every query of the dashboard, in panel order. */
    static List<String> queries(String dashboardJson) throws IOException {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(dashboardJson).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        return queries;
    }

    private static void waitUntilReady() throws Exception {
        long deadline = System.nanoTime() + RelayIT.WAIT.toNanos();
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(api.resolve("-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            assertThat(System.nanoTime()).as("Prometheus ready; log: " + dir.resolve("prometheus.log")).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static JsonNode get(String path) throws Exception {
        return new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(api.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static Path onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
