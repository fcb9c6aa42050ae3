package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.embedded.EmbeddedKafka;
import io.nostrex.embedded.EmbeddedPostgres;
import io.nostrex.contract.TopicSetup;
import io.nostrex.contract.Topic;
import io.nostrex.contract.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfraIT {

    @Test
    void sharedBrokerHasTheContractTopicsAndRoundTripsARecord() throws Exception {
        // Given the shared broker
        TestInfra infra = TestInfra.get();
        Topic topic = new Topic("it.roundtrip", 1, Map.of());
        try (Admin admin = infra.admin()) {
            assertThat(admin.listTopics().names().get())
                    .containsAll(Topics.all(TestInfra.PARTITIONS).stream().map(Topic::name).toList());
            // When the topic is ensured twice Then the second call creates nothing
            TopicSetup.ensure(admin, List.of(topic), (short) 1);
            assertThat(TopicSetup.ensure(admin, List.of(topic), (short) 1)).isEmpty();
        }
        // When a record is produced with acks=all and idempotence Then it is consumed back
        String value = "hello-" + UUID.randomUUID();
        produce(infra.bootstrapServers(), topic.name(), value);
        assertThat(consumeAll(infra.bootstrapServers(), topic.name())).contains(value);
    }

    @Test
    void kafkaRecordsAndClusterIdSurviveARestart(@TempDir Path dir) throws Exception {
        // Given a broker of its own that accepted a record, fsyncing every message
        String value = "durable-" + UUID.randomUUID();
        String clusterId;
        EmbeddedKafka kafka = new EmbeddedKafka(dir, 0, EmbeddedKafka.Durability.FSYNC_EACH_MESSAGE).start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            clusterId = kafka.clusterId();
            TopicSetup.ensure(admin, List.of(new Topic("it.restart", 1, Map.of())), (short) 1);
            produce(kafka.bootstrapServers(), "it.restart", value);
        } finally {
            kafka.close();
        }
        kafka.close(); // a second close does nothing
        // When a new broker starts over the same folder Then the record and the cluster id are still there
        try (EmbeddedKafka again = new EmbeddedKafka(dir, 0, EmbeddedKafka.Durability.PAGE_CACHE).start()) {
            assertThat(again.clusterId()).isEqualTo(clusterId);
            assertThat(consumeAll(again.bootstrapServers(), "it.restart")).contains(value);
        }
    }

    @Test
    void sharedDatabaseAcceptsConnectionsWithFsyncAndSynchronousCommitOn() throws Exception {
        TestInfra infra = TestInfra.get();
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password())) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(show(c, "listen_addresses")).isEqualTo("localhost");
            assertThat(rows(c, "SELECT (setting::bigint * 8192 / 1048576)::text FROM pg_settings"
                    + " WHERE name = 'shared_buffers'")).containsExactly(String.valueOf(EmbeddedPostgres.sharedBuffersMiB()));
            assertThat(c.getCatalog()).isEqualTo(EmbeddedPostgres.DATABASE);
        }
    }

    @Test
    void postgresRowsSurviveARestart(@TempDir Path dir) throws Exception {
        // Given a database of its own with a committed row
        try (EmbeddedPostgres pg = new EmbeddedPostgres(dir, 0).start();
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('before restart')");
        }
        // When a new server starts over the same folder Then the row is still there
        try (EmbeddedPostgres pg = new EmbeddedPostgres(dir, 0).start();
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            assertThat(rows(c, "SELECT v FROM kept")).containsExactly("before restart");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void postgresLeftRunningByAKilledJvmIsStoppedAndItsRowsKept(@TempDir Path dir) throws Exception {
        // Given a child JVM that started PostgreSQL on the folder, committed a row, and was killed -9
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PostgresChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            // whatever else the child prints first (logging), READY comes once PostgreSQL holds the row
            assertThat(out.lines().filter(l -> l.equals(PostgresChild.READY.strip())).findFirst()).isPresent();
        } finally {
            child.destroyForcibly().waitFor();
        }
        // When this JVM starts PostgreSQL over the same folder Then it takes over, the row is there
        try (EmbeddedPostgres pg = new EmbeddedPostgres(dir, 0).start();
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            assertThat(rows(c, "SELECT v FROM kept")).containsExactly("before kill");
        }
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    private static String show(Connection c, String setting) throws Exception {
        return rows(c, "SHOW " + setting).get(0);
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
