package io.nostrex.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin port over real HTTP: Prometheus text on /metrics, health as status codes and JSON. */
class AdminServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final Ops ops = Ops.create();
    private final AtomicBoolean kafkaUp = new AtomicBoolean(true);
    private AdminServer server;

    @BeforeEach
    void start() {
        ops.health().live("worker", () -> Status.up("moving"));
        ops.health().ready("kafka", () -> Status.when(kafkaUp.get(), "1 broker", "no broker"));
        server = AdminServer.start("127.0.0.1", 0, ops.registry(), ops.health());
    }

    @AfterEach
    void stop() {
        server.close();
        ops.health().close();
    }

    @Test
    void metricsAreThePrometheusTextOfTheRegistryWithTheJvmMeters() throws Exception {
        // Given a role's counter
        Counter.builder("nostrex.test.events").tags(Metrics.role("validator")).register(ops.registry()).increment(3);

        // When
        HttpResponse<String> r = get("/metrics");

        // Then
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue(AdminEndpoints.PROMETHEUS_TEXT);
        assertThat(r.body()).contains("nostrex_test_events_total{role=\"validator\"} 3.0")
                .contains("jvm_memory_used_bytes").contains("process_uptime_seconds").contains("jvm_threads_live_threads");
    }

    @Test
    void healthAndReadyAnswer200WhenUpAnd503WhenDown() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);

        // When Kafka goes away: still live, no longer ready
        kafkaUp.set(false);
        HttpResponse<String> ready = get("/ready");

        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("no broker");
    }

    @Test
    void anythingElseIsNotFound() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/x").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
