package io.nostrex.dev;

import io.nostrex.app.Relay;
import io.nostrex.app.RoleCommand;
import io.nostrex.app.Settings;
import io.nostrex.contract.TopicSetup;
import io.nostrex.contract.Topics;
import io.nostrex.embedded.EmbeddedKafka;
import io.nostrex.embedded.EmbeddedPostgres;
import io.nostrex.ops.Ops;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nostrex dev}: the whole relay in one process, with an embedded Kafka broker (KRaft) and an
 * embedded PostgreSQL, all data under {@code NOSTREX_DATA}. Ctrl-C stops everything cleanly.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run the whole relay in one process: embedded Kafka + PostgreSQL and all four roles.",
                "Port from NOSTREX_PORT (7777), data folder from NOSTREX_DATA (./nostrex-data)."})
final class DevCommand implements Callable<Integer> {
    /** One process has one consumer per stage: more partitions only add produce and fetch requests. */
    static final int DEV_PARTITIONS = 1;

    @Option(names = "--kafka-fsync", description = "fsync every Kafka message (default: page cache, as Kafka's default)")
    boolean kafkaFsync;

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.fromEnvironment();
        long started = System.nanoTime();
        EmbeddedKafka kafka = new EmbeddedKafka(settings.dataDir(), 0,
                kafkaFsync ? EmbeddedKafka.Durability.FSYNC_EACH_MESSAGE : EmbeddedKafka.Durability.PAGE_CACHE).start();
        EmbeddedPostgres postgres;
        try {
            postgres = new EmbeddedPostgres(settings.dataDir(), 0).start();
        } catch (java.io.IOException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        Settings s = settings.withKafka(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))
                .withDatabase(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Admin admin = Admin.create(s.kafka())) {
            TopicSetup.ensure(admin, Topics.all(s.partitionsOr(DEV_PARTITIONS)), (short) 1);
        }
        Ops ops = Ops.create();
        ops.health().onFatal((worker, cause) -> RoleCommand.exitSoon("dev", worker));
        Relay relay = Relay.all(s, ops);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("nostrex: stopping...");
            relay.close();
            ops.health().close();
            kafka.close();
            try {
                postgres.close();
            } catch (java.io.IOException e) {
                System.err.println("nostrex: PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            stopped.countDown();
        }, "nostrex-shutdown"));
        relay.gateways().forEach(g -> g.warmedUp().exceptionally(e -> null).join()); // ready: warmed up, or given up
        int port = relay.gateways().get(0).port();
        System.out.printf("%nNostrex dev relay ready in %.1f s%n  relay:      ws://%s:%d/%n"
                        + "  metrics:    http://%2$s:%3$d/metrics  (health: /health, readiness: /ready; all four roles)%n"
                        + "  kafka:      %s%n  postgresql: %s%n  data:       %s%nPress Ctrl-C to stop.%n",
                (System.nanoTime() - started) / 1e9, s.host(), port,
                kafka.bootstrapServers(), postgres.jdbcUrl(), s.dataDir().toAbsolutePath());
        stopped.await();
        return 0;
    }
}
