package io.nostrex.app.it;

import io.nostrex.app.Settings;
import io.nostrex.contract.TopicSetup;
import io.nostrex.contract.Topics;
import io.nostrex.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * A broker of its own (topics of 2 partitions) and a new database on the shared PostgreSQL, for a
 * test that needs a second relay whose consumer groups must not meet the shared relay's.
 */
final class OwnBroker implements AutoCloseable {
    final Path dir;
    private EmbeddedKafka kafka;
    /** Settings of a relay on this broker and the new database (any port). */
    final Settings settings;

    private OwnBroker(Path dir, EmbeddedKafka kafka, Settings settings) {
        this.dir = dir;
        this.kafka = kafka;
        this.settings = settings;
    }

    static OwnBroker start(String databasePrefix) throws Exception {
        return start(databasePrefix, Map.of());
    }

    /** With these settings too (environment variables, as a role reads them). */
    static OwnBroker start(String databasePrefix, Map<String, String> env) throws Exception {
        Path dir = Files.createTempDirectory("nostrex-" + databasePrefix);
        EmbeddedKafka kafka = new EmbeddedKafka(dir, 0, EmbeddedKafka.Durability.PAGE_CACHE).start();
        TestInfra infra = TestInfra.get();
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("NOSTREX_PORT", "0");
        all.putIfAbsent("NOSTREX_WARMUP_SECONDS", "0");
        all.put("NOSTREX_DATA", dir.resolve("relay").toString());
        Settings s = Settings.from(all)
                .withKafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .withDatabase(infra.newDatabase(databasePrefix), infra.user(), infra.password());
        try (Admin admin = Admin.create(s.kafka())) {
            TopicSetup.ensure(admin, Topics.all(2), (short) 1);
        }
        return new OwnBroker(dir, kafka, s);
    }

    /** Stops the broker and starts it again on the same port and data, as a broker restart does. */
    void restart(long downMillis) throws Exception {
        String servers = kafka.bootstrapServers();
        kafka.close();
        Thread.sleep(downMillis);
        kafka = new EmbeddedKafka(dir, Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1)),
                EmbeddedKafka.Durability.PAGE_CACHE).start();
    }

    @Override
    public void close() {
        kafka.close();
        TestInfra.deleteRecursively(dir);
    }
}
