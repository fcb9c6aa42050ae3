package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.isEose;
import static io.nostrex.app.it.Nostr.req;
import static io.nostrex.app.it.RelayIT.WAIT;
import static io.nostrex.app.it.RelayIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of a running relay, on the gateway's port: the health of every role of the
 * process, and meters that count what clients did, with labels that never carry an id, a key, a
 * subscription id or an address.
 */
class OpsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    @Test
    void everyRoleOfTheProcessIsLiveAndReadyOnTheGatewayPort() throws Exception {
        // When the relay has settled
        HttpResponse<String> ready = until("/ready", r -> r.statusCode() == 200);
        HttpResponse<String> live = get("/health");

        // Then both answer UP, naming the check of every worker and dependency
        JsonNode checks = new ObjectMapper().readTree(ready.body()).get("checks");
        assertThat(checks.fieldNames()).toIterable().contains("validator", "validator group", "archiver",
                "archiver group", "matcher", "matcher streams", "kafka", "database", "database pool", "policy",
                "gateway " + relay.gatewayA().gatewayId() + " inbox",
                "gateway " + relay.gatewayB().gatewayId() + " producer");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(live.body()).get("status").asText()).isEqualTo("UP");
        assertThat(relay.fatal).isEmpty();
    }

    @Test
    void undertowLogsThroughTheRelaysLogging() {
        // Kafka's broker puts log4j-core on the class path, which JBoss Logging (Undertow's, XNIO's)
        // would pick over SLF4J: its loggers must be SLF4J's, so Logback's configuration applies
        assertThat(org.jboss.logging.Logger.getLogger("io.undertow.request").getClass().getSimpleName())
                .startsWith("Slf4j");
    }

    @Test
    void theMetersCountWhatClientsDidAndEveryStageOfThePipeline() throws Exception {
        // Given a subscriber on gateway B and a publisher on gateway A
        EventSigner carol = EventSigner.random();
        Event first = carol.sign(1, List.of(), "metered first");
        Event second = carol.sign(1, List.of(), "metered second");
        try (WsClient a = new WsClient(relay.gatewayA().port()); WsClient b = new WsClient(relay.gatewayB().port())) {
            publish(a, first);
            b.send(req("metered", "{\"authors\":[\"" + carol.pubkey() + "\"]}"));
            b.until(m -> isEose(m, "metered"), WAIT);
            Thread.sleep(1_000); // the REQ registers with the matcher 200 ms after EOSE
            untilScraped(m -> m.sum("nostrex_registration_latency_seconds_count") >= 1); // matched live from now
            // When a live event, a duplicate and a malformed message follow
            publish(a, second);
            b.until(m -> m.contains(second.id()), WAIT);
            publish(a, second);
            a.send("[\"HELLO\"]");
            a.next(WAIT);
        }

        // Then every stage has counted it (the Kafka client meters appear within their refresh)
        Scrape s = untilScraped(m -> m.has("kafka_consumer_fetch_manager_records_lag_max", "role=validator")
                && m.has("kafka_consumer_fetch_manager_records_lag_max", "role=archiver")
                && m.has("kafka_consumer_fetch_manager_records_lag_max", "role=matcher"));
        assertThat(s.sum("nostr_client_messages_total", "role=gateway", "verb=EVENT")).isGreaterThanOrEqualTo(3);
        assertThat(s.sum("nostr_client_messages_total", "verb=invalid")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostr_relay_messages_total", "verb=EOSE")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostr_relay_messages_total", "verb=NOTICE")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_ok_total", "accepted=true", "prefix=none")).isGreaterThanOrEqualTo(2);
        assertThat(s.sum("nostrex_ok_total", "accepted=true", "prefix=duplicate")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_ok_latency_seconds_count", "accepted=true")).isGreaterThanOrEqualTo(3);
        assertThat(s.sum("nostrex_req_latency_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_req_rows_count")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_deliveries_total")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_delivered_bytes_total")).isGreaterThan(100);
        assertThat(s.sum("nostrex_connections_opened_total")).isGreaterThanOrEqualTo(2);
        assertThat(s.sum("nostrex_connections_closed_total", "reason=client")).isGreaterThanOrEqualTo(2);
        assertThat(s.has("nostrex_connections_open", "role=gateway")).isTrue();
        assertThat(s.has("nostrex_subscriptions_open", "role=gateway")).isTrue();
        assertThat(s.sum("nostrex_validations_total", "result=accepted", "reason=none")).isGreaterThanOrEqualTo(2);
        assertThat(s.sum("nostrex_batch_records_count", "role=validator")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_batch_latency_seconds_count", "role=archiver")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_db_transaction_seconds_count", "role=archiver")).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_store_outcomes_total", "outcome=stored", "kind_class=regular")).isGreaterThanOrEqualTo(2);
        assertThat(s.sum("nostr_events_total", "kind=1")).isGreaterThanOrEqualTo(2);
        assertThat(s.sum("nostrex_pipeline_latency_seconds_count", "role=validator", "stage=validated")).isGreaterThanOrEqualTo(3);
        assertThat(s.sum("nostrex_pipeline_latency_seconds_count", "role=archiver", "stage=stored")).isGreaterThanOrEqualTo(2);
        // the live delivery, timed from gateway A's receipt (nostr.stored's timestamp) to B's frames written
        double delivered = s.sum("nostrex_pipeline_latency_seconds_count", "role=gateway", "stage=delivered");
        assertThat(delivered).isGreaterThanOrEqualTo(1);
        assertThat(s.sum("nostrex_pipeline_latency_seconds_sum", "role=gateway", "stage=delivered") / delivered)
                .isBetween(0.0, WAIT.toSeconds() + 0.0);
        assertThat(s.sum("nostrex_matcher_match_seconds_count")).isGreaterThanOrEqualTo(2);
        assertThat(s.sum("nostrex_matcher_routed_total")).isGreaterThanOrEqualTo(1);
        assertThat(s.has("nostrex_matcher_subscriptions", "role=matcher")).isTrue();
        assertThat(s.has("hikaricp_connections_active")).isTrue();
        assertThat(s.has("jvm_memory_used_bytes")).isTrue();
        assertThat(s.has("process_cpu_usage")).isTrue();
        // and no label carries what a client sent
        assertThat(s.text).doesNotContain(first.id(), second.id(), carol.pubkey(), "metered\"");
        assertThat(s.samples).allSatisfy(sample -> assertThat(sample.labels().values())
                .noneMatch(v -> v.matches("[0-9a-f]{64}") || v.equals("metered")));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.gatewayA().port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> until(String path, Predicate<HttpResponse<String>> done) throws Exception {
        long deadline = System.nanoTime() + 2 * WAIT.toNanos();
        HttpResponse<String> r = get(path);
        while (!done.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = get(path);
        }
        assertThat(done.test(r)).as("%s: %s", path, r.body()).isTrue();
        return r;
    }

    private static Scrape untilScraped(Predicate<Scrape> done) throws Exception {
        String url = "http://127.0.0.1:" + relay.gatewayA().port() + "/metrics";
        long deadline = System.nanoTime() + 2 * WAIT.toNanos();
        Scrape s = Scrape.of(url);
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            s = Scrape.of(url);
        }
        return s;
    }
}
