package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.ReplayAccess;
import io.nostrex.app.Settings;
import io.nostrex.archiver.Replay;
import io.nostrex.contract.Topics;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import io.nostrex.store.Database;
import io.nostrex.store.EventQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code nostrex replay}: a store rebuilt from nostr.events into an empty database answers the same
 * REQs and COUNTs as the live one, after replaceable and addressable versions, deletions by id and
 * by address, a deletion of a deletion, a deletion by someone else, an expiration and duplicates in
 * the log. Also: a killed replay resumes, and where it starts can be chosen.
 */
class ReplayIT {
    static TestRelay relay;
    static final EventSigner ANN = EventSigner.random();
    static final EventSigner BEN = EventSigner.random();
    static final EventSigner CAT = EventSigner.random();
    static final EventSigner DOG = EventSigner.random();
    static final EventSigner EMU = EventSigner.random();
    /** 2021-04-10T00:00:00Z: a month of old history, older than any partition a fresh store has. */
    static final long APRIL_2021 = 1_618_012_800L;
    static final String TAG = "replay-" + System.nanoTime();
    static final Map<String, Event> SENT = new LinkedHashMap<>();
    /** The log's time just before the last six records of the scenario. */
    static long beforeTheLastSix;

    @BeforeAll
    static void liveRun() throws Exception {
        relay = TestRelay.get();
        long now = System.currentTimeMillis() / 1000;
        Event n1 = ANN.sign(now - 100, 1, List.of(List.of("t", TAG)), "note 1");
        Event n2 = ANN.sign(now - 90, 1, List.of(List.of("t", TAG)), "note 2");
        Event artY = ANN.sign(now - 60, 30023, List.of(List.of("d", "y"), List.of("t", TAG)), "y");
        Event eDel = ANN.sign(now - 40, 5, List.of(List.of("e", n1.id())), "");
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            accept(c, "an old note", EMU.sign(APRIL_2021, 1, List.of(), "from April 2021"));
            accept(c, "n1", n1);
            accept(c, "n2", n2);
            accept(c, "profile v1", ANN.sign(now - 80, 0, List.of(), "{\"name\":\"v1\"}"));
            accept(c, "profile v2", ANN.sign(now - 70, 0, List.of(), "{\"name\":\"v2\"}"));
            accept(c, "article x v2", ANN.sign(now - 60, 30023, List.of(List.of("d", "x"), List.of("t", TAG)), "x2"));
            accept(c, "article x v1 (older, after v2)", ANN.sign(now - 65, 30023, List.of(List.of("d", "x")), "x1"));
            accept(c, "article y", artY);
            accept(c, "a-deletion of y", ANN.sign(now - 50, 5, List.of(List.of("a", "30023:" + ANN.pubkey() + ":y")), ""));
            accept(c, "e-deletion of n1", eDel);
            Event c1 = CAT.sign(now - 95, 1, List.of(List.of("t", TAG)), "cat 1");
            accept(c, "c1", c1);
            accept(c, "gift wrap to Cat", BEN.sign(now - 94, 1059, List.of(List.of("p", CAT.pubkey())), "sealed"));
            accept(c, "Cat's profile", CAT.sign(now - 93, 0, List.of(), "{\"name\":\"cat\"}"));
            accept(c, "Cat vanishes", CAT.sign(now - 85, 62, List.of(List.of("relay", "ALL_RELAYS")), "forget me"));
            accept(c, "Cat's note after", CAT.sign(now - 84, 1, List.of(List.of("t", TAG)), "cat again"));
            assertThat(RelayIT.publish(c, c1)).contains("false").contains("NIP-62");
            // a request naming the URL the client reached the relay at (no NOSTREX_PUBLIC_URL is set)
            Event d1 = DOG.sign(now - 95, 1, List.of(), "dog 1");
            accept(c, "d1", d1);
            accept(c, "Dog vanishes from this relay", DOG.sign(now - 85, 62,
                    List.of(List.of("relay", "ws://127.0.0.1:" + relay.gatewayA().port() + "/")), ""));
            accept(c, "Dog vanishes from another relay", DOG.sign(now - 84, 62,
                    List.of(List.of("relay", "wss://elsewhere.example.com")), ""));
            assertThat(RelayIT.publish(c, d1)).contains("false").contains("NIP-62");
            beforeTheLastSix = System.currentTimeMillis();
            accept(c, "deletion of the deletion", ANN.sign(now - 30, 5, List.of(List.of("e", eDel.id())), ""));
            accept(c, "Ben deleting Ann's n2", BEN.sign(now - 30, 5, List.of(List.of("e", n2.id())), ""));
            accept(c, "expiring", ANN.sign(now - 20, 1, List.of(List.of("expiration", Long.toString(now + 3)), List.of("t", TAG)), "soon gone"));
            accept(c, "Ben's note", BEN.sign(now - 10, 1, List.of(List.of("t", TAG)), "ben"));
            assertThat(RelayIT.publish(c, n1)).contains("false").contains("deleted");
        }
        // a duplicate in the log, as a validator re-validating after a crash writes one
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", TestInfra.get().bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(Topics.EVENTS, n2.pubkey(), EventJson.write(n2))).get(10, TimeUnit.SECONDS);
        }
        Thread.sleep(Math.max(0, (now + 4) * 1000 - System.currentTimeMillis())); // the expiring note expires
    }

    private static void accept(WsClient c, String what, Event e) throws InterruptedException {
        SENT.put(what, e);
        assertThat(RelayIT.publish(c, e)).as(what).contains("\"" + e.id() + "\",true");
    }

    /** REQs and COUNTs of this scenario, as a client would send them. */
    static List<Filter> questions() throws Exception {
        String ann = "\"" + ANN.pubkey() + "\"";
        String ben = "\"" + BEN.pubkey() + "\"";
        String cat = "\"" + CAT.pubkey() + "\"";
        String dog = "\"" + DOG.pubkey() + "\"";
        String ids = String.join(",", SENT.values().stream().map(e -> "\"" + e.id() + "\"").toList());
        List<Filter> filters = new ArrayList<>();
        for (String f : List.of("{\"authors\":[" + ann + "]}", "{\"authors\":[" + ann + "," + ben + "]}",
                "{\"kinds\":[0],\"authors\":[" + ann + "]}", "{\"kinds\":[30023],\"authors\":[" + ann + "]}",
                "{\"#t\":[\"" + TAG + "\"]}", "{\"#d\":[\"x\",\"y\"],\"authors\":[" + ann + "]}", "{\"ids\":[" + ids + "]}",
                "{\"kinds\":[5],\"authors\":[" + ann + "," + ben + "]}", "{\"#e\":[\"" + SENT.get("n1").id() + "\",\""
                        + SENT.get("n2").id() + "\",\"" + SENT.get("e-deletion of n1").id() + "\"]}",
                "{\"authors\":[" + ann + "],\"kinds\":[1],\"limit\":1}", "{\"authors\":[" + cat + "]}",
                "{\"#p\":[" + cat + "]}", "{\"authors\":[" + dog + "]}")) {
            filters.add(FilterParser.parse(Json.read(f)));
        }
        return filters;
    }

    /** The answer of every question: the REQ's events in order, then the COUNT. */
    static List<String> answers(EventQuery q) throws Exception {
        List<String> answers = new ArrayList<>();
        for (Filter f : questions()) {
            answers.add(String.join("\n", q.query(List.of(f), 500)) + "\ncount " + q.count(List.of(f)));
        }
        return answers;
    }

    static Settings emptyDatabase() {
        TestInfra infra = TestInfra.get();
        return relay.settings.withDatabase(infra.newDatabase("replay_it"), infra.user(), infra.password());
    }

    static Replay.Counts replay(Settings into, Replay.Start start, int batch, int writers) throws InterruptedException {
        return ReplayAccess.replay(into, start, false, "it-replay-" + System.nanoTime(), batch, writers, r -> { }, p -> { });
    }

    static long recordsInTheLog() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", TestInfra.get().bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(Topics.EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
            return c.endOffsets(tps).entrySet().stream().mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
        }
    }

    @Test
    void theLiveRunLeftWhatTheRulesSay() throws Exception {
        List<String> annsEvents = new EventQuery(relay.relay.database()).query(List.of(questions().get(0)), 500);
        assertThat(annsEvents).containsExactlyInAnyOrder(
                EventJson.write(SENT.get("n2")), EventJson.write(SENT.get("profile v2")),
                EventJson.write(SENT.get("article x v2")), EventJson.write(SENT.get("a-deletion of y")),
                EventJson.write(SENT.get("e-deletion of n1")), EventJson.write(SENT.get("deletion of the deletion")));
        // NIP-62: Cat's request to vanish took everything of hers before it, and the gift wrap to her
        EventQuery q = new EventQuery(relay.relay.database());
        assertThat(q.query(questions().subList(10, 12), 500)).containsExactly(
                EventJson.write(SENT.get("Cat's note after")), EventJson.write(SENT.get("Cat vanishes")));
        assertThat(q.query(questions().subList(12, 13), 500)).containsExactly(
                EventJson.write(SENT.get("Dog vanishes from another relay")),
                EventJson.write(SENT.get("Dog vanishes from this relay")));
    }

    /**
     * A replayed history's months get their partitions before their rows: no event of a month from
     * 2020 to the partitions made ahead waits in {@code events_default}, after any batch.
     */
    @Test
    void theMonthsOfAnOldHistoryGetTheirPartitionsAsTheReplayGoes() throws Exception {
        Settings into = emptyDatabase();
        String waiting = "SELECT count(*) FROM events_default WHERE " + monthsWithPartitions();
        List<Long> waitingAfterEachBatch = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(into.databaseUrl(), into.databaseUser(),
                into.databasePassword())) {
            ReplayAccess.replay(into, new Replay.Start.Resume(), false, "it-replay-" + System.nanoTime(), 7, 2, r -> { },
                    p -> waitingAfterEachBatch.add(count(c, waiting)));
            assertThat(waitingAfterEachBatch).isNotEmpty().containsOnly(0L);
            assertThat(count(c, "SELECT count(*) FROM events_2021_04 WHERE id = decode('" + SENT.get("an old note").id()
                    + "', 'hex')")).isEqualTo(1);
        }
    }

    /** Events of the months the writers make partitions for: from 2020 to three months ahead. */
    static String monthsWithPartitions() {
        long from2020 = java.time.Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
        long horizon = java.time.YearMonth.now(java.time.ZoneOffset.UTC).plusMonths(4).atDay(1)
                .atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        return "created_at >= " + from2020 + " AND created_at < " + horizon;
    }

    static long count(java.sql.Connection c, String sql) {
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Test
    void aReplayIntoAnEmptyDatabaseAnswersAsTheLiveOne() throws Exception {
        Settings into = emptyDatabase();
        long records = recordsInTheLog();
        Replay.Counts counts = replay(into, new Replay.Start.Resume(), 7, 2);
        assertThat(counts.events() + counts.skipped()).isEqualTo(records);
        assertThat(counts.duplicate()).isGreaterThanOrEqualTo(1); // n2, written twice
        assertThat(counts.replacedOrDeleted()).isGreaterThanOrEqualTo(2); // profile v1 and article x v1
        try (Database db = Database.connect(into.databaseUrl(), into.databaseUser(), into.databasePassword(), 2)) {
            assertThat(answers(new EventQuery(db))).containsExactlyElementsOf(answers(new EventQuery(relay.relay.database())));
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // before: the replay retried the refused batch forever
    void anEventTheNewDatabaseRefusesForGoodIsLeftOutAndTheReplayGoesOn() throws Exception {
        // Given an empty database whose events table refuses Ben's note, as a data error would
        Settings into = emptyDatabase();
        try (Database db = Database.connect(into.databaseUrl(), into.databaseUser(), into.databasePassword(), 2);
             java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION refuse_ben() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.json LIKE '%\"content\":\"ben\"%' THEN RAISE EXCEPTION 'no Ben' USING ERRCODE = '22023';"
                    + " END IF; RETURN NEW; END $$");
            st.execute("CREATE TRIGGER refuse_ben BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_ben()");
        }
        long records = recordsInTheLog();

        // When the log is replayed into it (two writers; a batch with a request to vanish on one)
        Replay.Counts counts = replay(into, new Replay.Start.Resume(), 7, 2);

        // Then the replay ends, every record counted, Ben's note left out and the rest there
        assertThat(counts.events() + counts.skipped()).isEqualTo(records);
        assertThat(counts.skipped()).isGreaterThanOrEqualTo(1);
        try (Database db = Database.connect(into.databaseUrl(), into.databaseUser(), into.databasePassword(), 2)) {
            EventQuery q = new EventQuery(db);
            Filter ben = FilterParser.parse(Json.read("{\"ids\":[\"" + SENT.get("Ben's note").id() + "\"]}"));
            Filter n2 = FilterParser.parse(Json.read("{\"ids\":[\"" + SENT.get("n2").id() + "\"]}"));
            assertThat(q.query(List.of(ben), 10)).isEmpty();
            assertThat(q.query(List.of(n2), 10)).hasSize(1);
        }
    }

    @Test
    void aStoppedReplayResumesWhereItsLastBatchWasStored() throws Exception {
        Settings into = emptyDatabase();
        long records = recordsInTheLog();
        // stopped from its first progress report, as Ctrl-C would
        Replay[] running = new Replay[1];
        Replay.Counts first = ReplayAccess.replay(into, new Replay.Start.Resume(), false, "it-resume", 5, 1,
                r -> running[0] = r, p -> running[0].stop());
        assertThat(first.events() + first.skipped()).isBetween(1L, records - 1);
        Replay.Counts rest = replay(into, new Replay.Start.Resume(), 50, 1);
        // one writer: positions move with each batch, so every record is replayed exactly once
        assertThat(first.events() + first.skipped() + rest.events() + rest.skipped()).isEqualTo(records);
        try (Database db = Database.connect(into.databaseUrl(), into.databaseUser(), into.databasePassword(), 2)) {
            assertThat(answers(new EventQuery(db))).containsExactlyElementsOf(answers(new EventQuery(relay.relay.database())));
        }
        assertThat(replay(into, new Replay.Start.Resume(), 50, 1).events()).isZero();
    }

    @Test
    void aReplayStartsAtATimeOrAtOffsets() throws Exception {
        Settings into = emptyDatabase();
        Replay.Counts since = replay(into, new Replay.Start.SinceTime(beforeTheLastSix), 50, 2);
        // the deletion of the deletion, Ben's deletion, the expiring note, Ben's note, n1 again (valid, so
        // in the log; refused by the store, whose deletion this replay did not see) and n2 again
        assertThat(since.summary()).isEqualTo("replayed 6 events: 6 stored, 0 duplicate, 0 replaced or deleted");

        Map<Integer, Long> atTheEnd = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", TestInfra.get().bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(Topics.EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.endOffsets(tps).forEach((tp, end) -> atTheEnd.put(tp.partition(), end));
        }
        Settings other = emptyDatabase();
        assertThat(replay(other, new Replay.Start.FromOffsets(atTheEnd), 50, 2).events()).isZero();
        assertThat(replay(other, new Replay.Start.SinceTime(System.currentTimeMillis() + 3_600_000), 50, 2).events()).isZero();
    }

}
