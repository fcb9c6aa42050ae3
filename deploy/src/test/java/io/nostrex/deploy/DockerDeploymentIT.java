package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nostrex.app.it.Scrape;
import io.nostrex.contract.Topic;
import io.nostrex.contract.Topics;
import io.nostrex.deploy.ComposeProject.Container;
import io.nostrex.deploy.DockerStack.Role;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay as docker-compose.yml deploys it, on the image this build made: Kafka, PostgreSQL,
 * every role twice (the host-network override), Prometheus; a real client on both gateways, real
 * signed events, and crashes (kill -9) under load. One stack for the whole class, its phases in
 * order; each phase prints its time.
 *
 * <p>Runs when a Docker engine answers, Compose is there and the images are on the engine.
 * Otherwise it is skipped with what is missing, or fails when NOSTREX_REQUIRE_DOCKER=1 (CI,
 * .ci/docker-setup). See deploy/compose/README.md, "Host networking, for tests".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerDeploymentIT {
    /** From the pom (failsafe); read from pom.xml when the test runs elsewhere (an IDE). */
    static final String VERSION = System.getProperty("nostrex.version", ComposeFileTest.projectVersion());
    /** Every service but Grafana: Debian has no Grafana package, so there is no local image of it (deploy/images). */
    static final List<String> SERVICES = List.of("kafka", "postgres", "topics", "gateway-1", "gateway-2", "validator",
            "validator-2", "matcher", "matcher-2", "archiver", "archiver-2", "prometheus");
    /**
     * For the roles' JVMs, eight of which start at once on the CI machine's two cores. From compose up
     * to every role ready, there: 29 to 38 s with these, 45 to 84 s without; C1 alone (the last flag)
     * 34 s, the heap and the serial collector alone 43 s. The load phases are short: C2 would not pay.
     */
    static final String JAVA_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    static final Duration UP = Duration.ofMinutes(4);
    static final Duration READY = Duration.ofMinutes(3);
    static final Duration RESTART = Duration.ofMinutes(2);
    static final Duration SETTLE = Duration.ofMillis(1500);
    static final Duration LOAD = Duration.ofSeconds(20);
    static final Duration KILL_AFTER = Duration.ofSeconds(5);
    static final int PUBLISHERS_PER_GATEWAY = 2;
    static final int MAX_NOTES_PER_PUBLISHER = 1500;
    static final int IDS_PER_QUERY = 200;
    static final Map<String, String> METER_OF_ROLE = Map.of(
            "gateway", "nostr_client_messages_total",
            "validator", "nostrex_validations_total",
            "matcher", "nostrex_matcher_match_seconds_count",
            "archiver", "nostrex_db_transaction_seconds_count");

    static final PhaseTimes TIMES = new PhaseTimes("DockerDeploymentIT");
    static final Map<String, Integer> KILLED = new TreeMap<>();
    static final String RUN = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    static DockerStack stack;

    @BeforeAll
    static void startTheStack() throws Exception {
        DockerStack planned = DockerStack.plan(SERVICES, "nostrex/nostrex:" + VERSION, JAVA_OPTIONS, TIMES::print);
        DockerPrerequisites prerequisites = TIMES.time("prerequisites", () -> DockerPrerequisites.check(planned.images()));
        requireOrSkip(prerequisites);
        stack = planned;
        TIMES.time("compose up (Kafka and PostgreSQL healthy, topics created)",
                () -> stack.start(prerequisites.compose(), "nostrex-it-" + RUN, UP));
        TIMES.time("every role ready", () -> stack.awaitReady(stack.roles(), READY));
    }

    static void requireOrSkip(DockerPrerequisites prerequisites) {
        if (prerequisites.met()) {
            return;
        }
        String message = "DockerDeploymentIT needs " + String.join("; ", prerequisites.missing()) + ". To run it: a Docker"
                + " engine, Docker Compose (`docker compose` or docker-compose 1.29), and the image nostrex/nostrex:" + VERSION
                + ", which `./mvnw package` builds in the deploy module when an engine answers; where no registry can be"
                + " reached, deploy/images/build-local-images builds the other images and `--print-env` names them (IMAGE_*)."
                + " NOSTREX_REQUIRE_DOCKER=1 makes this a failure instead of a skip.";
        if ("1".equals(System.getenv("NOSTREX_REQUIRE_DOCKER"))) {
            fail(message);
        }
        TIMES.print("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (stack != null && stack.started()) {
            TIMES.time("report and down -v", () -> {
                try {
                    stack.report(KILLED);
                } finally {
                    stack.tearDown();
                }
            });
            TIMES.printAll();
        }
    }

    static RelayConnection gateway(int n) {
        return new RelayConnection(stack.role("gateway-" + n).port());
    }

    // --- topics ---

    @Test
    @Order(0)
    void everyTopicOfTheContractHasFourPartitions() throws Exception {
        TIMES.time("topics", () -> {
            List<String> names = Topics.all(1).stream().map(Topic::name).toList();
            try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.port("kafka")))) {
                Map<String, TopicDescription> topics = kafka.describeTopics(names).allTopicNames()
                        .get(RelayConnection.WAIT.toSeconds(), TimeUnit.SECONDS);

                assertThat(topics.values()).hasSize(names.size())
                        .allSatisfy(t -> assertThat(t.partitions()).as(t.name()).hasSize(4));
            }
        });
    }

    // --- publish, query, subscribe ---

    @Test
    @Order(1)
    void anEventAcceptedOnOneGatewayIsServedAtOnceByTheOther() throws Exception {
        TIMES.time("read after OK across gateways", () -> {
            Event note = EventSigner.random().sign(1, List.of(), "read after OK, across gateways");
            try (RelayConnection one = gateway(1); RelayConnection two = gateway(2)) {
                // When gateway-1 answers OK true
                assertThat(one.publish(note)).isEqualTo(new RelayMessage.Ok(note.id(), true, ""));

                // Then gateway-2 serves the note at once
                assertThat(two.query("by-id", List.of(ids(List.of(note.id()))))).containsExactly(note);
            }
        });
    }

    @Test
    @Order(2)
    void liveEventsReachEveryMatchingSubscriptionOnceOnBothGateways() throws Exception {
        TIMES.time("live subscriptions on both gateways", () -> {
            // Given three filters, each subscribed on both gateways, and notes that match one, two or none of them
            EventSigner alice = EventSigner.random();
            EventSigner bob = EventSigner.random();
            EventSigner carol = EventSigner.random();
            String tag = "deploy-it-" + RUN;
            Map<String, Filter> subscriptions = new TreeMap<>(Map.of(
                    "by-author", filter("{\"authors\":[\"" + alice.pubkey() + "\"]}"),
                    "by-kind", filter("{\"kinds\":[4321]}"),
                    "by-tag", filter("{\"#t\":[\"" + tag + "\"]}")));
            List<Event> events = List.of(
                    alice.sign(1, List.of(), "alice: by-author"),
                    alice.sign(4321, List.of(), "alice, kind 4321: by-author, by-kind"),
                    bob.sign(1, List.of(List.of("t", tag)), "bob, tagged: by-tag"),
                    bob.sign(4321, List.of(List.of("t", tag)), "bob, kind 4321, tagged: by-kind, by-tag"),
                    carol.sign(1, List.of(), "carol: none"),
                    carol.sign(1, List.of(List.of("t", tag + "-other")), "carol, another tag: none"),
                    alice.sign(1, List.of(List.of("t", tag)), "alice, tagged: by-author, by-tag"),
                    carol.sign(4321, List.of(), "carol, kind 4321: by-kind"));
            try (RelayConnection one = gateway(1); RelayConnection two = gateway(2);
                 RelayConnection publisherOne = gateway(1); RelayConnection publisherTwo = gateway(2)) {
                for (Map.Entry<String, Filter> s : subscriptions.entrySet()) {
                    assertThat(one.subscribe(s.getKey(), List.of(s.getValue()))).as("history of %s", s.getKey()).isEmpty();
                    assertThat(two.subscribe(s.getKey(), List.of(s.getValue()))).as("history of %s", s.getKey()).isEmpty();
                }

                // When the notes are published, in turn on each gateway
                for (int i = 0; i < events.size(); i++) {
                    RelayConnection publisher = i % 2 == 0 ? publisherOne : publisherTwo;
                    assertThat(publisher.publish(events.get(i)).accepted()).as(events.get(i).content()).isTrue();
                }

                // Then each subscription, on both gateways, gets exactly the notes its filter matches, once each
                Map<String, List<String>> expected = matching(subscriptions, events);
                assertThat(expected.values()).allSatisfy(ids -> assertThat(ids).hasSizeGreaterThanOrEqualTo(3));
                assertThat(liveIds(one, expected)).as("on gateway-1").isEqualTo(expected);
                assertThat(liveIds(two, expected)).as("on gateway-2").isEqualTo(expected);
            }
        });
    }

    /** Per subscription, the ids of the events its filter matches, sorted. */
    static Map<String, List<String>> matching(Map<String, Filter> subscriptions, List<Event> events) {
        Map<String, List<String>> expected = new TreeMap<>();
        subscriptions.forEach((id, f) -> expected.put(id, events.stream().filter(f::matches).map(Event::id).sorted().toList()));
        return expected;
    }

    /** Per subscription, the ids it received, sorted, duplicates kept: until as many as expected came, then a while more. */
    static Map<String, List<String>> liveIds(RelayConnection connection, Map<String, List<String>> expected) throws Exception {
        Map<String, List<String>> received = new TreeMap<>();
        expected.keySet().forEach(id -> received.put(id, new ArrayList<>()));
        long deadline = System.nanoTime() + RelayConnection.WAIT.toNanos();
        while (!allArrived(received, expected) && System.nanoTime() < deadline) {
            receive(connection, Duration.ofMillis(200), received);
        }
        receive(connection, SETTLE, received);
        received.replaceAll((id, ids) -> ids.stream().sorted().toList());
        return received;
    }

    private static void receive(RelayConnection connection, Duration window, Map<String, List<String>> received)
            throws InterruptedException {
        connection.received(window).forEach(m -> received.computeIfAbsent(m.subscriptionId(), k -> new ArrayList<>())
                .add(m.event().id()));
    }

    private static boolean allArrived(Map<String, List<String>> received, Map<String, List<String>> expected) {
        return expected.entrySet().stream().allMatch(e -> received.get(e.getKey()).size() >= e.getValue().size());
    }

    // --- crashes under load ---

    @ParameterizedTest(name = "kill -9 of {0}")
    @ValueSource(strings = {"validator", "archiver", "matcher"})
    @Order(3)
    void aRoleKilledUnderLoadIsRestartedAndNoEventWithOkTrueIsLost(String service) throws Exception {
        // Given publishers on both gateways, and a live subscription to their notes on each
        String tag = "load-" + service + "-" + RUN;
        try (RelayConnection watchOne = gateway(1); RelayConnection watchTwo = gateway(2)) {
            watchOne.subscribe("load", List.of(filter("{\"#t\":[\"" + tag + "\"]}")));
            watchTwo.subscribe("load", List.of(filter("{\"#t\":[\"" + tag + "\"]}")));
            LoadRun load = LoadRun.start(List.of(stack.role("gateway-1").port(), stack.role("gateway-2").port()),
                    PUBLISHERS_PER_GATEWAY, tag, LOAD, MAX_NOTES_PER_PUBLISHER);

            // When the service's main process gets SIGKILL a few seconds in
            Container before = TIMES.time("kill -9 of " + service + ": load until the kill", () -> {
                Thread.sleep(KILL_AFTER.toMillis());
                return stack.crash(service);
            });
            KILLED.merge(service, 1, Integer::sum);
            LoadRun.Tally tally = TIMES.time("kill -9 of " + service + ": rest of the load", load::finish);

            // Then the restart policy brings it back, and gateway-2 serves every note that got OK true
            Container after = TIMES.time("kill -9 of " + service + ": restarted and ready",
                    () -> stack.awaitRestart(service, before, RESTART));
            Set<String> served = TIMES.time("kill -9 of " + service + ": query every OK true",
                    () -> servedOnGateway2(tally.acceptedIds()));
            TIMES.print("kill -9 of " + service + " (restarts " + before.restartCount() + " -> " + after.restartCount() + "): "
                    + counts(tally, served, watchOne, watchTwo));
            assertThat(tally.acceptedIds()).as("events with OK true").hasSizeGreaterThan(50);
            assertThat(missing(tally.acceptedIds(), served)).as("events with OK true that gateway-2 does not serve").isEmpty();
        }
    }

    /** The ids gateway-2 serves among {@code ids}, asked by REQ with an ids filter, in batches. */
    static Set<String> servedOnGateway2(List<String> ids) throws Exception {
        Set<String> served = new HashSet<>();
        try (RelayConnection two = gateway(2)) {
            for (int i = 0; i < ids.size(); i += IDS_PER_QUERY) {
                List<String> batch = ids.subList(i, Math.min(ids.size(), i + IDS_PER_QUERY));
                two.query("ids-" + i, List.of(ids(batch))).forEach(e -> served.add(e.id()));
            }
        }
        return served;
    }

    static List<String> missing(List<String> ids, Set<String> served) {
        return ids.stream().filter(id -> !served.contains(id)).toList();
    }

    /** What the run published and got, what gateway-2 serves, and what the live subscriptions got (reported, not asserted). */
    static String counts(LoadRun.Tally tally, Set<String> served, RelayConnection watchOne, RelayConnection watchTwo)
            throws Exception {
        return tally + "; verified present " + served.size() + " of the OK true, " + servedOnGateway2(tally.notAcceptedIds()).size()
                + " of the others; live on gateway-1 " + live(watchOne, tally) + ", on gateway-2 " + live(watchTwo, tally);
    }

    /** What a live subscription on the load's tag got of the events with OK true (reported, not asserted). */
    static String live(RelayConnection watcher, LoadRun.Tally tally) throws Exception {
        List<String> got = watcher.received(SETTLE).stream().map(m -> m.event().id()).toList();
        Set<String> distinct = new HashSet<>(got);
        long ofAccepted = tally.acceptedIds().stream().filter(distinct::contains).count();
        return ofAccepted + " of the OK true, " + (got.size() - distinct.size()) + " duplicates";
    }

    // --- metrics ---

    @Test
    @Order(4)
    void everyRoleServesItsMetricsAndPrometheusScrapesThemAll() throws Exception {
        TIMES.time("metrics", () -> {
            // Given traffic that reached every instance
            publishFromManyAuthors(32);

            // Then each role shows its meters, and Prometheus sees every target up

            for (Role role : stack.roles()) {
                HttpGet metrics = HttpGet.of(role.url("/metrics"));
                assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
                assertThat(metrics.contentType()).as(metrics.toString()).startsWith("text/plain; version=0.0.4");
                assertThat(Scrape.parse(metrics.body()).has(METER_OF_ROLE.get(role.role())))
                        .as("%s shows %s", role.service(), METER_OF_ROLE.get(role.role())).isTrue();
            }
            assertThat(prometheusTargetsOnceAllUp()).as("Prometheus' targets").containsOnly("up")
                    .hasSize(stack.roles().size() + 1);
        });
    }

    /**
     * Notes from {@code n} new authors through both gateways: with ids and authors spread over every
     * partition, every validator and archiver instance handles some, whatever it did before.
     */
    static void publishFromManyAuthors(int n) throws Exception {
        try (RelayConnection one = gateway(1); RelayConnection two = gateway(2)) {
            for (int i = 0; i < n; i++) {
                Event note = EventSigner.random().sign(1, List.of(), "author " + i);
                assertThat((i % 2 == 0 ? one : two).publish(note).accepted()).as("note %d", i).isTrue();
            }
        }
    }

    /** The health of every target of the compose Prometheus, once all are up or after a minute. */
    static List<String> prometheusTargetsOnceAllUp() throws Exception {
        String url = "http://127.0.0.1:" + stack.port("prometheus") + "/api/v1/targets";
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Map<String, String> health = targets(url);
        while (health.values().stream().anyMatch(h -> !h.equals("up")) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            health = targets(url);
        }
        TIMES.print("Prometheus targets: " + health);
        return List.copyOf(health.values());
    }

    private static Map<String, String> targets(String url) throws Exception {
        HttpGet answer = HttpGet.of(url);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Map<String, String> health = new LinkedHashMap<>();
        for (JsonNode target : new ObjectMapper().readTree(answer.body()).path("data").path("activeTargets")) {
            health.put(target.path("scrapeUrl").asText(), target.path("health").asText());
        }
        return health;
    }

    // --- filters ---

    static Filter filter(String json) throws Exception {
        return FilterParser.parse(new ObjectMapper().readTree(json));
    }

    static Filter ids(List<String> ids) {
        return new Filter(Set.copyOf(ids), null, null, Map.of(), null, null, ids.size(), null);
    }
}
