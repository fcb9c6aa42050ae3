package io.nostrex.app;

import io.nostrex.app.embedded.TopicSetup;
import io.nostrex.contract.Topics;
import io.nostrex.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

/**
 * One role against an external Kafka ({@code KAFKA_BOOTSTRAP_SERVERS}) and PostgreSQL
 * ({@code DATABASE_URL}); runs until SIGTERM/Ctrl-C.
 */
abstract class RoleCommand implements Callable<Integer> {
    /** Starts the role; adds what must be closed on shutdown, last started first closed. */
    abstract void start(Settings s, List<AutoCloseable> parts) throws Exception;

    @Override
    public Integer call() throws Exception {
        Settings s = Settings.fromEnvironment();
        if (s.kafka().get("bootstrap.servers") == null) {
            System.err.println("KAFKA_BOOTSTRAP_SERVERS is not set");
            return 2;
        }
        System.err.println("nostrex " + getClass().getAnnotation(Command.class).name() + ": " + s.describe());
        List<AutoCloseable> parts = new ArrayList<>();
        start(s, parts);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = parts.size() - 1; i >= 0; i--) {
                try {
                    parts.get(i).close();
                } catch (Exception e) {
                    System.err.println("stopping: " + e);
                }
            }
            stopped.countDown();
        }, "nostrex-shutdown"));
        stopped.await();
        return 0;
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run a gateway (WebSocket + NIP-11).")
    static final class GatewayRole extends RoleCommand {
        @Override
        void start(Settings s, List<AutoCloseable> parts) {
            Database db = Relay.database(s);
            parts.add(db::close);
            parts.add(Relay.gateway(s, db));
        }
    }

    @Command(name = "validator", mixinStandardHelpOptions = true, description = "Run a validator.")
    static final class ValidatorRole extends RoleCommand {
        @Override
        void start(Settings s, List<AutoCloseable> parts) {
            parts.add(Relay.validator(s));
        }
    }

    @Command(name = "matcher", mixinStandardHelpOptions = true, description = "Run a matcher (Kafka Streams).")
    static final class MatcherRole extends RoleCommand {
        @Override
        void start(Settings s, List<AutoCloseable> parts) {
            parts.add(Relay.matcher(s));
        }
    }

    @Command(name = "archiver", mixinStandardHelpOptions = true, description = "Run an archiver (PostgreSQL writer).")
    static final class ArchiverRole extends RoleCommand {
        @Override
        void start(Settings s, List<AutoCloseable> parts) {
            Database db = Relay.database(s);
            parts.add(db::close);
            parts.add(Relay.archiver(s, db));
        }
    }

    @Command(name = "topics", mixinStandardHelpOptions = true,
            description = "Create the Kafka topics (NOSTREX_PARTITIONS, NOSTREX_REPLICATION) and exit.")
    static final class TopicsCommand implements Callable<Integer> {
        /** Room for four instances of each role; set NOSTREX_PARTITIONS for more. */
        static final int TOPICS_PARTITIONS = 4;

        @Override
        public Integer call() throws Exception {
            Settings s = Settings.fromEnvironment();
            try (Admin admin = Admin.create(s.kafka())) {
                System.out.println("created: " + TopicSetup.ensure(admin,
                        Topics.all(s.partitionsOr(TOPICS_PARTITIONS)), s.replication()));
            }
            return 0;
        }
    }
}
