package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.embedded.EmbeddedKafka;
import io.nostrex.contract.TopicSetup;
import io.nostrex.contract.Topics;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * A broker restart loses no event that got OK true, and the relay carries on by itself. Uses a
 * broker of its own (restarting the shared one would disturb the other tests) and the shared
 * database.
 */
class BrokerRestartIT {

    @Test
    void eventsOkdBeforeABrokerRestartAreKeptAndTheRelayCarriesOn() throws Exception {
        TestInfra infra = TestInfra.get();
        Path dir = Files.createTempDirectory("nostrex-broker-restart");
        EmbeddedKafka kafka = new EmbeddedKafka(dir, 0, EmbeddedKafka.Durability.PAGE_CACHE).start();
        int port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        Settings s = Settings.from(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", "0", "NOSTREX_DATA", dir.resolve("relay").toString()))
                .withKafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .withDatabase(infra.jdbcUrl(), infra.user(), infra.password());
        try (Admin admin = Admin.create(s.kafka())) {
            TopicSetup.ensure(admin, Topics.all(2), (short) 1);
        }
        EventSigner kim = EventSigner.random();
        Relay relay = Relay.all(s, io.nostrex.ops.Ops.create());
        try (WsClient c = new WsClient(relay.gateways().get(0).port())) {
            for (int i = 0; i < 10; i++) {
                Event e = kim.sign(1, List.of(), "before restart " + i);
                assertThat(RelayIT.publish(c, e)).isEqualTo(Nostr.ok(e, true, ""));
            }
            kafka.close();
            kafka = new EmbeddedKafka(dir, port, EmbeddedKafka.Durability.PAGE_CACHE).start();
            for (int i = 0; i < 10; i++) {
                Event e = kim.sign(1, List.of(), "after restart " + i);
                assertThat(RelayIT.publish(c, e)).isEqualTo(Nostr.ok(e, true, ""));
            }
            assertThat(RelayIT.query(c, "all", "{\"authors\":[\"" + kim.pubkey() + "\"],\"limit\":50}")).hasSize(20);
        } finally {
            relay.close();
            kafka.close();
            TestInfra.deleteRecursively(dir);
        }
    }
}
