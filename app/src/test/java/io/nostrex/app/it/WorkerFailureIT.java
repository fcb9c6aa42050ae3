package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.app.RoleCommand;
import io.nostrex.app.Settings;
import io.nostrex.archiver.Archiver;
import io.nostrex.archiver.ArchiverConfig;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.contract.Topics;
import io.nostrex.gateway.Gateway;
import io.nostrex.matcher.Matcher;
import io.nostrex.matcher.MatcherConfig;
import io.nostrex.ops.Ops;
import io.nostrex.ops.Report;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.store.Database;
import io.nostrex.store.EventStore;
import io.nostrex.validator.Policies;
import io.nostrex.validator.Validator;
import io.nostrex.validator.ValidatorConfig;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liveness tells the truth: a worker that dies takes its liveness with it (and is reported fatal,
 * which makes a role process exit with status 1), and a closed database pool turns both /health
 * and /ready down. Each dying role runs beside the shared relay under a consumer group or
 * application id of its own, with sends made to fail the way a real outage makes them fail:
 * Kafka refuses every record as too large.
 */
class WorkerFailureIT {
    /** Smaller than any record a role produces: every send fails with RecordTooLargeException. */
    private static final Map<String, Object> SENDS_FAIL = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 100);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final EventSigner DAVE = EventSigner.random();
    private static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    @Test
    void aValidatorWhoseSendFailsIsNotLiveAndIsReportedFatal() throws Exception {
        // Given a validator whose sends Kafka refuses
        Ops ops = Ops.create();
        List<String> fatal = fatalOf(ops);
        Map<String, Object> kafka = kafka(SENDS_FAIL);
        kafka.put("auto.offset.reset", "latest");
        try (Validator v = Validator.start(new ValidatorConfig(kafka, "it-dying-validator-" + System.nanoTime(),
                Policies.Limits.defaults(), io.nostrex.validator.WriteAccess.open(), 0, 1000), ops)) {
            // When an event reaches it
            waitFor(() -> ops.health().readiness().checks().get("validator group").up());
            produce(Topics.INGRESS, null, DAVE.sign(1, List.of(), "to a failing validator"));
            waitFor(() -> !fatal.isEmpty());

            // Then it is dead, and says why
            Report live = ops.health().liveness();
            assertThat(fatal).containsExactly("validator");
            assertThat(live.up()).isFalse();
            assertThat(live.checks().get("validator").detail()).contains("a send was not acknowledged");
        } finally {
            ops.health().close();
        }
    }

    @Test
    void aMatcherWhoseStreamThreadDiesIsNotLiveAndIsReportedFatal() throws Exception {
        // Given a matcher (an application of its own) whose deliveries Kafka refuses, and a
        // subscription to everything from a gateway that is not there
        Ops ops = Ops.create();
        List<String> fatal = fatalOf(ops);
        SubscriptionRecord all = new SubscriptionRecord("gw-it-dying", 1, "all", 1, List.of(Filter.any()));
        Path state = Files.createTempDirectory("nostrex-dying-matcher");
        Map<String, String> kafka = new HashMap<>();
        kafka.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "100");
        try (Matcher m = Matcher.start(new MatcherConfig("it-dying-matcher-" + System.nanoTime(),
                TestInfra.get().bootstrapServers(), state.toString(), Duration.ofSeconds(5), Duration.ofSeconds(30), 1,
                kafka), ops)) {
            produce(Topics.SUBSCRIPTIONS, all.key(), all.toJson());
            // When a stored event arrives after the subscription is in the index (only events handled
            // after that are matched live) and matches
            waitFor(() -> m.index().version(all.key()).isPresent());
            produce(Topics.STORED, DAVE.pubkey(), DAVE.sign(1, List.of(), "to a failing matcher"));
            waitFor(() -> !fatal.isEmpty());

            // Then the client is in ERROR: not live, and fatal
            assertThat(fatal).containsExactly("matcher");
            assertThat(ops.health().liveness().checks().get("matcher").detail()).contains("ERROR");
        } finally {
            produce(Topics.SUBSCRIPTIONS, all.key(), (String) null);
            ops.health().close();
            TestInfra.deleteRecursively(state);
        }
    }

    @Test
    void aClosedDatabaseTurnsHealthAndReadinessDownOnTheGatewayAndStallsTheArchiver() throws Exception {
        // Given a gateway and an archiver (a consumer group of its own, from the latest offset) on a
        // database pool of their own
        Ops ops = Ops.create();
        Settings s = relay.settings.withPort(0);
        Database db = Relay.database(s, ops);
        Map<String, Object> kafka = kafka(Map.of("auto.offset.reset", "latest"));
        ArchiverConfig config = new ArchiverConfig(kafka, "it-closed-db-archiver-" + System.nanoTime(), 100, 200);
        try (io.nostrex.contract.PolicyReader policy = Relay.policy(s, ops); Gateway g = Relay.gateway(s, db, ops, policy);
                Archiver a = Archiver.start(config, new EventStore(db.dataSource()), () -> { }, ops)) {
            waitFor(() -> status(g, "/ready") == 200);
            assertThat(status(g, "/health")).isEqualTo(200);
            // (the archiver reads from the latest offset: it must hold its partitions before the event)
            waitFor(() -> ops.health().readiness().checks().get("archiver group").detail().contains("with " + TestInfra.PARTITIONS + " partitions"));

            // When the pool is closed and an event is to be archived
            db.close();
            produce(Topics.EVENTS, DAVE.pubkey(), DAVE.sign(1, List.of(), "to a closed database"));

            // Then neither live nor ready, and the archiver retries instead of skipping the event
            waitFor(() -> status(g, "/ready") == 503 && status(g, "/health") == 503);
            assertThat(ops.health().liveness().checks().get("database pool").detail()).isEqualTo("closed");
            waitFor(() -> ops.registry().find("nostrex.db.retries").counter().count() >= 1);
        } finally {
            ops.health().close();
        }
    }

    @Test
    void anEventTheDatabaseRefusesForGoodGoesToTheDeadLetterTopicAndTheRestIsStored() throws Exception {
        // Given an archiver (a group of its own, from the latest offset) on a database whose events
        // table refuses any event holding "poison", as a data error would
        Ops ops = Ops.create();
        TestInfra infra = TestInfra.get();
        try (Database db = Database.connect(infra.newDatabase("dead_letter"), infra.user(), infra.password(), 2)) {
            try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.json LIKE '%poison%' THEN RAISE EXCEPTION 'poison refused' USING ERRCODE = '22023';"
                        + " END IF; RETURN NEW; END $$");
                st.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
            }
            ArchiverConfig config = new ArchiverConfig(kafka(Map.of("auto.offset.reset", "latest")),
                    "it-dead-letter-" + System.nanoTime(), 100, 200);
            try (Archiver a = Archiver.start(config, new EventStore(db.dataSource()), () -> { }, ops)) {
                waitFor(() -> ops.health().readiness().checks().get("archiver group").detail()
                        .contains("with " + TestInfra.PARTITIONS + " partitions"));
                String tag = "dead-letter-" + System.nanoTime();
                Event good = DAVE.sign(1, List.of(List.of("t", tag)), "fine");
                Event poison = DAVE.sign(2, List.of(List.of("t", tag)), "poison");
                Event alsoGood = DAVE.sign(3, List.of(List.of("t", tag)), "fine too");

                // When the three arrive together, then one more
                try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 50),
                        new StringSerializer(), new StringSerializer())) {
                    for (Event e : List.of(good, poison, alsoGood)) {
                        p.send(new ProducerRecord<>(Topics.EVENTS, DAVE.pubkey(), EventJson.write(e)));
                    }
                    p.flush();
                }
                Event later = DAVE.sign(4, List.of(List.of("t", tag)), "later");
                produce(Topics.EVENTS, DAVE.pubkey(), later);

                // Then the others are stored, the poison is on the dead-letter topic with why and
                // where from, and the meter counts it
                io.nostrex.store.EventQuery q = new io.nostrex.store.EventQuery(db.dataSource());
                Filter tagged = io.nostrex.protocol.FilterParser.parse(io.nostrex.protocol.Json.read("{\"#t\":[\"" + tag + "\"]}"));
                waitFor(() -> q.count(List.of(tagged)) == 3);
                assertThat(q.query(List.of(tagged), 10)).doesNotContain(EventJson.write(poison));
                ConsumerRecord<String, String> dead = deadLetter(poison.id());
                assertThat(dead.value()).isEqualTo(EventJson.write(poison));
                assertThat(new String(dead.headers().lastHeader(Topics.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                        .startsWith("22023").contains("poison refused");
                assertThat(new String(dead.headers().lastHeader(Topics.SOURCE_HEADER).value(), StandardCharsets.UTF_8))
                        .startsWith(Topics.EVENTS + "-");
                assertThat(ops.registry().find("nostrex.store.outcomes").tag("outcome", "failed").counter().count()).isEqualTo(1.0);
            }
        } finally {
            ops.health().close();
        }
    }

    private static ConsumerRecord<String, String> deadLetter(String id) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.get().bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(Topics.DEAD_LETTER).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && r.value().contains(id)) {
                        return r;
                    }
                }
            }
            throw new AssertionError("no dead letter for " + id);
        }
    }

    @Test
    void aRoleProcessWhoseWorkerDiesExitsWithStatusOne() throws Exception {
        // Given a matcher process (an application of its own) whose deliveries Kafka refuses
        Path data = Files.createTempDirectory("nostrex-exiting-matcher");
        SubscriptionRecord all = new SubscriptionRecord("gw-it-exit", 1, "all", 1, List.of(Filter.any()));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.nostrex.app.Main", "matcher")
                .redirectErrorStream(true).redirectOutput(data.resolve("out.log").toFile());
        pb.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", TestInfra.get().bootstrapServers(),
                "KAFKA_APPLICATION_ID", "it-exiting-matcher-" + System.nanoTime(), "KAFKA_MAX_REQUEST_SIZE", "100",
                "NOSTREX_DATA", data.toString(), "NOSTREX_ADMIN_PORT", Integer.toString(freePort()),
                "NOSTREX_INSTANCE_ID", "it-exiting"));
        Process child = pb.start();
        try {
            // When stored events match a subscription (one a second: the process matches only the
            // events it handles after the subscription reached its index, which this test cannot see)
            produce(Topics.SUBSCRIPTIONS, all.key(), all.toJson());
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (int i = 0; child.isAlive() && System.nanoTime() < deadline; i++) {
                produce(Topics.STORED, DAVE.pubkey(), DAVE.sign(1, List.of(), "to a failing matcher process " + i));
                child.waitFor(1, TimeUnit.SECONDS);
            }

            // Then the process exits with status 1, and says why
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).as("the process exited").isTrue();
            assertThat(child.exitValue()).isEqualTo(RoleCommand.WORKER_DIED);
            assertThat(Files.readString(data.resolve("out.log"))).contains("stopped for good; exiting with status 1");
        } finally {
            child.destroyForcibly().waitFor();
            produce(Topics.SUBSCRIPTIONS, all.key(), (String) null);
            TestInfra.deleteRecursively(data);
        }
    }

    private static List<String> fatalOf(Ops ops) {
        List<String> fatal = new CopyOnWriteArrayList<>();
        ops.health().onFatal((worker, cause) -> fatal.add(worker));
        return fatal;
    }

    private static Map<String, Object> kafka(Map<String, Object> more) {
        Map<String, Object> kafka = new HashMap<>(relay.settings.kafka());
        kafka.putAll(more);
        return kafka;
    }

    private static void produce(String topic, String key, Event event) throws Exception {
        produce(topic, key == null ? event.id() : key, EventJson.write(event));
    }

    private static void produce(String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.get().bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        }
    }

    private static int status(Gateway g, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + g.port() + path)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
