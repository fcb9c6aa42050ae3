package io.nostrex.app;

import io.nostrex.contract.TopicSetup;
import io.nostrex.contract.Topics;
import io.nostrex.ops.AdminServer;
import io.nostrex.contract.PolicyReader;
import io.nostrex.ops.Ops;
import io.nostrex.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

/**
 * One role against an external Kafka ({@code KAFKA_BOOTSTRAP_SERVERS}) and PostgreSQL
 * ({@code DATABASE_URL}); runs until SIGTERM/Ctrl-C. The gateway serves {@code /metrics},
 * {@code /health} and {@code /ready} on its own port, the other roles on {@code NOSTREX_ADMIN_PORT}.
 * A worker that stops for good (a failed send, a dead stream thread) ends the process with status 1,
 * so that its orchestrator restarts it.
 */
public abstract class RoleCommand implements Callable<Integer> {
    /** The status of a process whose worker died. */
    public static final int WORKER_DIED = 1;

    /** Starts the role; adds what must be closed on shutdown, last started first closed. */
    abstract void start(Settings s, Ops ops, List<AutoCloseable> parts) throws Exception;

    /** Whether the role serves the admin endpoints on an admin port (the gateway has its own port). */
    boolean adminPort() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        Settings s = Settings.fromEnvironment();
        if (s.kafka().get("bootstrap.servers") == null) {
            System.err.println("KAFKA_BOOTSTRAP_SERVERS is not set");
            return 2;
        }
        String role = getClass().getAnnotation(Command.class).name();
        System.err.println("nostrex " + role + ": " + s.describe());
        Ops ops = Ops.create();
        ops.health().onFatal((worker, cause) -> exitSoon(role, worker));
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(ops.health());
        parts.add(Relay.kafkaCheck(s, ops));
        start(s, ops, parts);
        if (adminPort()) {
            parts.add(AdminServer.start(s.host(), s.adminPort(), ops.registry(), ops.health()));
        }
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

    /** Exits with {@link #WORKER_DIED} from a thread of its own (the dying worker must not wait on itself). */
    public static void exitSoon(String role, String worker) {
        Thread exit = new Thread(() -> {
            System.err.println("nostrex " + role + ": " + worker + " stopped for good; exiting with status " + WORKER_DIED);
            System.exit(WORKER_DIED);
        }, "nostrex-exit");
        exit.start();
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true,
            description = "Run a gateway (WebSocket, NIP-11, /metrics, /health and /ready on NOSTREX_PORT).")
    static final class GatewayRole extends RoleCommand {
        @Override
        void start(Settings s, Ops ops, List<AutoCloseable> parts) throws Exception {
            Database db = Relay.database(s, ops);
            parts.add(db::close);
            PolicyReader policy = Relay.policy(s, ops);
            parts.add(policy);
            parts.add(Relay.gateway(s, db, ops, policy));
        }

        @Override
        boolean adminPort() {
            return false;
        }
    }

    @Command(name = "validator", mixinStandardHelpOptions = true,
            description = "Run a validator (/metrics, /health and /ready on NOSTREX_ADMIN_PORT).")
    static final class ValidatorRole extends RoleCommand {
        @Override
        void start(Settings s, Ops ops, List<AutoCloseable> parts) {
            PolicyReader policy = Relay.policy(s, ops);
            parts.add(policy);
            parts.add(Relay.validator(s, ops, policy));
        }
    }

    @Command(name = "matcher", mixinStandardHelpOptions = true,
            description = "Run a matcher, Kafka Streams (/metrics, /health and /ready on NOSTREX_ADMIN_PORT).")
    static final class MatcherRole extends RoleCommand {
        @Override
        void start(Settings s, Ops ops, List<AutoCloseable> parts) {
            parts.add(Relay.matcher(s, ops));
        }
    }

    @Command(name = "archiver", mixinStandardHelpOptions = true,
            description = "Run an archiver, the PostgreSQL writer (/metrics, /health and /ready on NOSTREX_ADMIN_PORT).")
    static final class ArchiverRole extends RoleCommand {
        @Override
        void start(Settings s, Ops ops, List<AutoCloseable> parts) {
            Database db = Relay.database(s, ops);
            parts.add(db::close);
            PolicyReader policy = Relay.policy(s, ops);
            parts.add(policy);
            parts.add(Relay.archiver(s, db, ops, policy));
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
