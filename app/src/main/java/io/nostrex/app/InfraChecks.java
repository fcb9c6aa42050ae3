package io.nostrex.app;

import io.nostrex.ops.Health;
import io.nostrex.ops.Status;
import io.nostrex.store.Database;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The process's own readiness checks of what it depends on, probed in the background: Kafka
 * answers (the cluster's brokers are listed), PostgreSQL answers (a pooled connection is valid).
 * A database pool that was closed can never serve again, so that one is a liveness check.
 */
final class InfraChecks implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);
    private static final int TIMEOUT_SECONDS = 3;

    private final Admin admin;

    private InfraChecks(Admin admin) {
        this.admin = admin;
    }

    /** Probes Kafka with an admin client of its own (closed with this object). */
    static InfraChecks kafka(Health health, Map<String, Object> kafka) {
        Map<String, Object> settings = new java.util.HashMap<>(kafka);
        settings.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "nostrex-health");
        settings.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        settings.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        Admin admin = Admin.create(settings);
        health.readyProbe("kafka", EVERY, () -> {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
            return Status.when(brokers > 0, brokers + " brokers", "no broker listed");
        });
        return new InfraChecks(admin);
    }

    static void database(Health health, Database db) {
        health.live("database pool", () -> Status.when(!db.isClosed(), "open", "closed"));
        health.readyProbe("database", EVERY, () -> Status.when(db.ping(TIMEOUT_SECONDS), "answers",
                "no valid connection within " + TIMEOUT_SECONDS + " s"));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
