package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.event;
import static io.nostrex.app.it.Nostr.isOk;
import static io.nostrex.app.it.Nostr.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.contract.PolicyReader;
import io.nostrex.app.ReplayAccess;
import io.nostrex.app.Settings;
import io.nostrex.archiver.Archiver;
import io.nostrex.archiver.Replay;
import io.nostrex.gateway.Gateway;
import io.nostrex.ops.Ops;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.store.Database;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The procedure in docs/OPERATIONS.md for moving a relay to a new PostgreSQL with no downtime,
 * walked through on a relay with a broker of its own while a client publishes all along and a
 * subscriber stays connected: 1. replay --follow into the new database; 2. once it has caught up,
 * move the gateways to the new database; 3. start archivers on it and stop the old ones; 4. stop
 * the replay, then the old database. Every EVENT is accepted, every one is delivered live, and the
 * new database serves them all.
 */
class DatabaseMoveIT {
    static final Duration WAIT = Duration.ofSeconds(30);
    final EventSigner ann = EventSigner.random();
    final List<Event> published = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    @Test
    void aRelayMovesToANewDatabaseWhileClientsPublishAndSubscribe() throws Exception {
        TestInfra infra = TestInfra.get();
        try (OwnBroker broker = OwnBroker.start("move_old")) {
            Settings old = broker.settings;
            // the new roles are other instances: their own static group memberships
            Settings moved = old.withDatabase(infra.newDatabase("move_new"), infra.user(), infra.password())
                    .withInstanceId("moved-" + System.nanoTime());
            try (Relay relay = Relay.all(old, Ops.create());
                    WsClient subscriber = new WsClient(relay.gateways().get(0).port())) {
                subscriber.send(req("live", "{\"authors\":[\"" + ann.pubkey() + "\"],\"limit\":0}"));
                subscriber.until(m -> m.equals("[\"EOSE\",\"live\"]"), WAIT);
                AtomicBoolean publishing = new AtomicBoolean(true);
                AtomicLong gatewayPort = new AtomicLong(relay.gateways().get(0).port());
                CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> publishUntilStopped(gatewayPort, publishing));
                waitFor(() -> published.size() >= 20);

                // 1. replay --follow into the new database, until it has caught up
                Replay[] replay = new Replay[1];
                AtomicLong lag = new AtomicLong(-1);
                CompletableFuture<Replay.Counts> following = CompletableFuture.supplyAsync(() -> replayFollowing(moved, replay, lag));
                // (caught up: a few records behind a log that grows all the time)
                waitFor(() -> {
                    assertThat(following).as("the replay ended early").isNotCompletedExceptionally();
                    return lag.get() >= 0 && lag.get() <= 5 && published.size() >= 40;
                });

                // 2. gateways on the new database; clients move over, the old gateway is retired
                Ops newOps = Ops.create();
                try (Database newDb = Relay.database(moved, newOps); PolicyReader newPolicy = Relay.policy(moved, newOps);
                     Gateway newGateway = Relay.gateway(moved, newDb, newOps, newPolicy)) {
                    gatewayPort.set(newGateway.port());
                    int moving = published.size();
                    waitFor(() -> published.size() >= moving + 10);

                    // 3. archivers on the new database; then the old archiver stops
                    try (Archiver newArchiver = Relay.archiver(moved, newDb, newOps, newPolicy)) {
                        int before = published.size();
                        waitFor(() -> published.size() >= before + 10);
                        relay.stopArchiver();
                        int after = published.size();
                        waitFor(() -> published.size() >= after + 10);
                        publishing.set(false);
                        publisher.get(60, TimeUnit.SECONDS);

                        // 4. once the replay has caught up with what the old archiver stored last, it stops
                        io.nostrex.protocol.Filter anns = io.nostrex.protocol.FilterParser.parse(
                                io.nostrex.protocol.Json.read("{\"authors\":[\"" + ann.pubkey() + "\"]}"));
                        waitFor(() -> new io.nostrex.store.EventQuery(newDb).count(List.of(anns)) == published.size());
                        replay[0].stop();
                        Replay.Counts counts = following.get(60, TimeUnit.SECONDS);
                        assertThat(counts.events()).isGreaterThanOrEqualTo(40);

                        // Then no EVENT was refused or left unconfirmed at any step
                        assertThat(refused).isEmpty();
                        // the subscriber saw every event live
                        List<String> seen = subscriber.drain(Duration.ofSeconds(2));
                        for (Event e : published) {
                            assertThat(seen).as("live delivery of " + e.content()).anyMatch(m -> m.contains(e.id()));
                        }
                        // and the new database serves every one of them, through the new gateway
                        try (WsClient reader = new WsClient(newGateway.port())) {
                            List<String> all = RelayIT.query(reader, "all", "{\"authors\":[\"" + ann.pubkey() + "\"],\"limit\":5000}");
                            assertThat(all).hasSize(published.size());
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFollowingReplayWaitsOutABrokerRestart() throws Exception {
        TestInfra infra = TestInfra.get();
        try (OwnBroker broker = OwnBroker.start("follow_old")) {
            Settings moved = broker.settings.withDatabase(infra.newDatabase("follow_new"), infra.user(), infra.password());
            io.nostrex.protocol.Filter anns = io.nostrex.protocol.FilterParser.parse(
                    io.nostrex.protocol.Json.read("{\"authors\":[\"" + ann.pubkey() + "\"]}"));
            try (Relay relay = Relay.all(broker.settings, Ops.create())) {
                Replay[] replay = new Replay[1];
                CompletableFuture<Replay.Counts> following = CompletableFuture.supplyAsync(
                        () -> replayFollowing(moved, replay, new AtomicLong()));
                publish(relay, 5);
                try (Database newDb = Relay.database(moved, Ops.create())) {
                    io.nostrex.store.EventQuery q = new io.nostrex.store.EventQuery(newDb);
                    waitFor(() -> q.count(List.of(anns)) == 5);

                    broker.restart(3_000);
                    publish(relay, 5);

                    waitFor(() -> q.count(List.of(anns)) == 10);
                    assertThat(following).isNotDone();
                    replay[0].stop();
                    assertThat(following.get(60, TimeUnit.SECONDS).stored()).isEqualTo(10);
                }
            }
        }
    }

    private void publish(Relay relay, int n) throws Exception {
        try (WsClient c = new WsClient(relay.gateways().get(0).port())) {
            for (int i = 0; i < n; i++) {
                Event e = ann.sign(1, List.of(), "around a restart " + published.size());
                String ok = RelayIT.publish(c, e);
                assertThat(ok).contains("\",true,");
                published.add(e);
            }
        }
    }

    /** Publishes an event every 20 ms through the gateway on {@code port} (which may change), noting any not accepted. */
    private void publishUntilStopped(AtomicLong port, AtomicBoolean running) {
        try {
            WsClient c = null;
            long connectedTo = -1;
            for (int i = 0; running.get(); i++) {
                if (port.get() != connectedTo) {
                    if (c != null) {
                        c.close();
                    }
                    connectedTo = port.get();
                    c = new WsClient((int) connectedTo);
                }
                Event e = ann.sign(1, List.of(List.of("t", "move")), "note " + i);
                c.send(event(e));
                List<String> got = c.until(m -> isOk(m, e), WAIT);
                String ok = got.get(got.size() - 1);
                if (ok.contains("\",true,")) {
                    published.add(e);
                } else {
                    refused.add(ok);
                }
                Thread.sleep(20);
            }
            c.close();
        } catch (Exception | AssertionError e) {
            refused.add("publisher stopped: " + e);
        }
    }

    private static Replay.Counts replayFollowing(Settings into, Replay[] holder, AtomicLong lag) {
        try {
            return ReplayAccess.replay(into, new Replay.Start.Resume(), true, "it-move-replay", 100, 2,
                    r -> holder[0] = r, p -> lag.set(p.remaining()));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s; refused so far: %s", WAIT, refused).isLessThan(deadline);
            assertThat(refused).isEmpty();
            Thread.sleep(50);
        }
    }
}
