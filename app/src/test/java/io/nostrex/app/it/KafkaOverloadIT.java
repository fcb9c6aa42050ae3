package io.nostrex.app.it;

import static io.nostrex.app.it.RelayIT.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.gateway.Gateway;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/**
 * Kafka slower than the clients: the broker throttles one gateway's producer to 2 KB/s, so its
 * buffer (32 KB here) fills. An Undertow I/O thread must never wait for room: the EVENTs that do
 * not fit get {@code rate-limited:} at once, and the gateway keeps serving other clients.
 */
class KafkaOverloadIT {
    @Test
    void eventsThatDoNotFitTheProducersBufferAreRefusedAtOnceAndOtherClientsAreServed() throws Exception {
        TestRelay relay = TestRelay.get();
        String clientId = "overloaded-gateway-" + System.nanoTime();
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        Map<String, Object> kafka = new HashMap<>(relay.settings.kafka());
        kafka.put("client.id", clientId);
        kafka.put("buffer.memory", "32768");
        kafka.put("batch.size", "4096");
        Settings own = Settings.from(Map.of("NOSTREX_PORT", "0", "NOSTREX_WARMUP_SECONDS", "0")).withKafka(kafka)
                .withDatabase(relay.settings.databaseUrl(), relay.settings.databaseUser(), relay.settings.databasePassword());
        EventSigner flood = EventSigner.random();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            events.add(flood.sign(1, List.of(List.of("t", "overload")), "x".repeat(200) + " flood " + i));
        }
        try (Admin admin = TestInfra.get().admin()) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 2048.0))))).all().get(10, TimeUnit.SECONDS);
            Gateway gateway = Relay.gateway(own, relay.relay.database(), relay.relay.ops(), relay.relay.policy());
            try (WsClient publisher = new WsClient(gateway.port()); WsClient reader = new WsClient(gateway.port())) {
                publisher.challenge();
                reader.challenge();
                // When one client sends 600 EVENTs (about 180 KB) without waiting, to a gateway Kafka takes 2 KB/s from
                long started = System.nanoTime();
                for (Event e : events) {
                    publisher.send(Nostr.event(e));
                }
                // Then the EVENTs that did not fit are refused with rate-limited, all within a few seconds:
                // an I/O thread that waited 2 s for room per EVENT would take minutes
                List<String> refused = new ArrayList<>();
                publisher.until(m -> {
                    if (m.startsWith("[\"OK\"") && m.contains("\"rate-limited: ")) {
                        refused.add(m);
                    }
                    return refused.size() >= 100;
                }, WAIT);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
                // And another client of the same gateway is served meanwhile
                long asked = System.nanoTime();
                reader.send(Nostr.req("r", "{\"kinds\":[0],\"limit\":1}"));
                reader.until(m -> Nostr.isEose(m, "r"), WAIT);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).isLessThan(2_000);
            } finally {
                admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                        List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null))))).all().get(10, TimeUnit.SECONDS);
                gateway.close();
            }
        }
    }
}
