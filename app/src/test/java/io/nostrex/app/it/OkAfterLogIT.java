package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.delivered;
import static io.nostrex.app.it.Nostr.event;
import static io.nostrex.app.it.Nostr.isEose;
import static io.nostrex.app.it.Nostr.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.ops.Ops;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code NOSTREX_OK_AFTER=log}: an accepted event's OK comes once it is in nostr.events, before
 * PostgreSQL has it; it is stored, served and delivered live as soon as PostgreSQL takes it.
 */
class OkAfterLogIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anAcceptedEventIsConfirmedWhileTheStoreIsHeldAndServedOnceItIsNot() throws Exception {
        EventSigner amy = EventSigner.random();
        try (OwnBroker broker = OwnBroker.start("ok_after_log", Map.of("NOSTREX_OK_AFTER", "log"));
                Relay relay = Relay.all(broker.settings, Ops.create());
                WsClient a = new WsClient(relay.gateways().get(0).port());
                WsClient watcher = new WsClient(relay.gateways().get(0).port())) {
            Event warm = amy.sign(1, List.of(), "warm");
            a.send(event(warm));
            a.until(m -> m.equals(Nostr.ok(warm, true, "")), WAIT);
            watcher.send(req("live", "{\"authors\":[\"" + amy.pubkey() + "\"],\"since\":" + warm.createdAt() + "}"));
            watcher.until(m -> isEose(m, "live"), WAIT);
            Thread.sleep(1_000); // registered with the matcher
            Event held = amy.sign(1, List.of(), "confirmed before it is stored");
            try (Connection db = DriverManager.getConnection(broker.settings.databaseUrl(), broker.settings.databaseUser(),
                    broker.settings.databasePassword());
                    Statement lock = db.createStatement()) {
                // Given PostgreSQL holding every write to the events table
                db.setAutoCommit(false);
                lock.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
                // When an event is published, Then its OK true comes all the same (the default mode waits
                // for the store: its OK would come only after the lock, or as an error after 30 s)
                a.send(event(held));
                a.until(m -> m.equals(Nostr.ok(held, true, "")), Duration.ofSeconds(10));
                // and nothing reaches a subscriber before it is stored: the matcher reads only stored events
                assertThat(watcher.drain(Duration.ofMillis(500))).noneMatch(m -> m.contains(held.id()));
                db.rollback();
            }
            // And once the store has it: delivered live, and served
            watcher.until(m -> m.equals(delivered("live", held)), WAIT);
            a.send(req("byid", "{\"ids\":[\"" + held.id() + "\"]}"));
            List<String> got = a.until(m -> isEose(m, "byid"), WAIT);
            assertThat(got).contains(delivered("byid", held));
        }
    }
}
