package io.nostrex.app.it;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.gateway.Gateway;
import io.nostrex.ops.Ops;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * All four roles plus a second gateway, started once per test run over {@link TestInfra}'s broker
 * and database. Tests that restart a role do it through {@link #relay()}'s parts of their own.
 */
public final class TestRelay {
    private static TestRelay instance;
    /** The admin of the NIP-86 management API (NOSTREX_ADMIN_PUBKEYS). */
    static final io.nostrex.protocol.EventSigner ADMIN = io.nostrex.protocol.EventSigner.random();

    final Settings settings;
    final Relay relay;
    /** Workers the relay reported dead for good (a role process would have exited). */
    final List<String> fatal = new CopyOnWriteArrayList<>();

    private TestRelay() throws Exception {
        TestInfra infra = TestInfra.get();
        Path data = Files.createTempDirectory("nostrex-relay-it");
        settings = Settings.from(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", "0", "NOSTREX_DATA", data.toString(),
                        "NOSTREX_ACK_TIMEOUT_MS", "10000", "NOSTREX_ADMIN_PUBKEYS", ADMIN.pubkey()))
                .withKafka(Map.of("bootstrap.servers", infra.bootstrapServers()))
                .withDatabase(infra.jdbcUrl(), infra.user(), infra.password());
        Ops ops = Ops.create();
        ops.health().onFatal((worker, cause) -> fatal.add(worker));
        relay = Relay.all(settings, ops);
        relay.addGateway();
        infra.closeBeforeStop(() -> TestInfra.deleteRecursively(data)); // closed after the relay: last in, first out
        infra.closeBeforeStop(relay);
    }

    public static synchronized TestRelay get() throws Exception {
        if (instance == null) {
            instance = new TestRelay();
        }
        return instance;
    }

    public Gateway gatewayA() {
        return relay.gateways().get(0);
    }

    Gateway gatewayB() {
        return relay.gateways().get(1);
    }
}
