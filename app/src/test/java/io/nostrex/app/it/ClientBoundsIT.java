package io.nostrex.app.it;

import static io.nostrex.app.it.RelayIT.WAIT;
import static io.nostrex.app.it.RelayIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Relay;
import io.nostrex.gateway.Gateway;
import io.nostrex.gateway.GatewayConfig;
import io.nostrex.gateway.History;
import io.nostrex.gateway.RelayInfo;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.auth.ReadAccess;
import io.nostrex.store.EventQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one client may make a gateway hold, in bytes: the outbound queue counts UTF-8 bytes, the
 * live events held for a REQ's EOSE count in it, and the EVENTs waiting for their OK are capped.
 * A gateway of the shared relay with a 64 KiB outbound bound, 5 pending OKs per connection and 5
 * invalid messages a second per address;
 * its read path is the real store's, which a test can hold up to stand for a slow history query.
 */
class ClientBoundsIT {
    private static final long OUTBOUND = 64 * 1024;
    private static final int INVALID_PER_SECOND = 5;
    private static Gateway gateway;
    private static volatile CountDownLatch slowHistory = new CountDownLatch(0);

    @BeforeAll
    static void start() throws Exception {
        TestRelay relay = TestRelay.get();
        GatewayConfig.Limits d = GatewayConfig.Limits.defaults();
        GatewayConfig.Limits small = new GatewayConfig.Limits(d.maxMessageLength(), d.maxSubscriptions(), d.maxFilters(),
                d.maxSubidLength(), d.maxLimit(), OUTBOUND, d.verdictTimeoutMillis(), d.ackTimeoutMillis(),
                d.maxNegentropyRecords(), d.maxCountRows(), 5);
        GatewayConfig.Hygiene h = relay.settings.hygiene();
        GatewayConfig.Hygiene proxied = new GatewayConfig.Hygiene(h.maxConnections(), h.maxConnectionsPerIp(),
                h.maxMessagesPerIpPerSecond(), h.gateways(), h.idleTimeoutSeconds(), "X-Forwarded-For", INVALID_PER_SECOND);
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, GatewayConfig.newGatewayId(), small,
                relay.settings.access(), proxied,
                new RelayInfo("bounds", "", null, null, "test", null), relay.settings.kafka(), 2, 0);
        gateway = Gateway.start(config, new Holdable(Relay.history(new EventQuery(relay.relay.database()))), "{}",
                relay.relay.ops());
    }

    @AfterAll
    static void stop() throws Exception {
        slowHistory.countDown();
        gateway.close();
    }

    @Test
    void aFrameIsCountedInUtf8BytesNotCharacters() throws Exception {
        // An event of 48,000 characters that are 96,000 bytes in UTF-8: over the 64 KiB bound only in bytes
        Event wide = EventSigner.random().sign(1, List.of(List.of("t", "wide-" + System.nanoTime())),
                "\uD83D\uDE00".repeat(24_000));
        try (WsClient a = new WsClient(TestRelay.get().gatewayA().port()); WsClient c = new WsClient(gateway.port())) {
            assertThat(publish(a, wide)).isEqualTo(Nostr.ok(wide, true, ""));
            c.challenge();
            c.send(Nostr.req("w", "{\"ids\":[\"" + wide.id() + "\"]}"));
            assertThat(c.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("disconnected as a slow reader").isNotNull();
        }
    }

    @Test
    void liveEventsHeldForAnEoseCountInTheOutboundBound() throws Exception {
        String tag = "held-" + System.nanoTime();
        String filter = "{\"#t\":[\"" + tag + "\"]}";
        EventSigner author = EventSigner.random();
        try (WsClient a = new WsClient(TestRelay.get().gatewayA().port()); WsClient c = new WsClient(gateway.port())) {
            c.challenge();
            // Given a live subscription, registered with the matchers
            c.send(Nostr.req("h", filter));
            c.until(m -> Nostr.isEose(m, "h"), WAIT);
            Event first = author.sign(1, List.of(List.of("t", tag)), "first");
            publish(a, first);
            c.until(m -> m.equals(Nostr.delivered("h", first)), WAIT);
            // When the client replaces it and the new history query is slow, live events are held for its EOSE
            slowHistory = new CountDownLatch(1);
            c.send(Nostr.req("h", filter));
            for (int i = 0; i < 12; i++) {
                Event e = author.sign(1, List.of(List.of("t", tag)), "y".repeat(8_000) + i);
                assertThat(publish(a, e)).isEqualTo(Nostr.ok(e, true, ""));
            }
            // Then 12 events of 8 KB, 96 KB held, pass the 64 KiB bound: the client is disconnected
            assertThat(c.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
        } finally {
            slowHistory.countDown();
        }
    }

    @Test
    void anAddressOverItsAllowanceOfInvalidMessagesIsReadAtThatPaceWhileItsValidConnectionIsServed() throws Exception {
        Map<String, String> address = Map.of("X-Forwarded-For", "198.51.100.21");
        try (WsClient bad = new WsClient(gateway.port(), address); WsClient good = new WsClient(gateway.port(), address)) {
            bad.challenge();
            good.challenge();
            // When one connection sends 25 unreadable messages at once (the allowance: 5 a second, 10 in a burst)
            long start = System.nanoTime();
            for (int i = 0; i < 25; i++) {
                bad.send("not json " + i);
            }
            // Then its reads pause past the burst, and it is told so
            List<String> answers = new ArrayList<>(bad.until(
                    m -> m.contains("rate-limited: too many invalid messages (more than 5 a second"), WAIT));
            answers.removeIf(m -> m.contains("rate-limited"));
            // And a connection of the same address that sends valid messages is served meanwhile
            long asked = System.nanoTime();
            good.send(Nostr.req("g", "{\"kinds\":[0],\"limit\":1}"));
            good.until(m -> Nostr.isEose(m, "g"), WAIT);
            long served = System.nanoTime() - asked;
            // And every unreadable message gets its answer, none lost, at the allowed pace (two pauses at least)
            bad.until(m -> {
                if (m.startsWith("[\"NOTICE\"") && !m.contains("rate-limited")) {
                    answers.add(m);
                }
                return answers.size() == 25;
            }, WAIT);
            long took = System.nanoTime() - start;
            assertThat(answers).allMatch(m -> m.contains("malformed"));
            assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(Duration.ofNanos(served)).as("the valid connection waited for no pause").isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void negentropyMessagesForNoSessionSpendTheAllowanceOfInvalidMessages() throws Exception {
        try (WsClient c = new WsClient(gateway.port(), Map.of("X-Forwarded-For", "198.51.100.23"))) {
            c.challenge();
            // When a client sends 12 NEG-MSGs for a session it never opened (the allowance: 10 in a burst)
            for (int i = 0; i < 12; i++) {
                c.send("[\"NEG-MSG\",\"g" + i + "\",\"61\"]");
            }
            // Then each gets its NEG-ERR, and past the burst the connection is paused and told so
            int[] negErrs = {0};
            boolean[] paused = {false};
            c.until(m -> {
                if (m.startsWith("[\"NEG-ERR\"") && m.contains("closed: no such negentropy session")) {
                    negErrs[0]++;
                } else if (m.contains("rate-limited: too many invalid messages")) {
                    paused[0] = true;
                }
                return negErrs[0] == 12 && paused[0];
            }, WAIT);
        }
    }

    @Test
    void connectionsThatAreOverTheirAddressesAllowanceAgainAsSoonAsTheyAreReadWaitLongerEachTime() throws Exception {
        Map<String, String> address = Map.of("X-Forwarded-For", "198.51.100.22");
        List<WsClient> bad = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                WsClient c = new WsClient(gateway.port(), address);
                c.challenge();
                bad.add(c);
            }
            // When 8 connections of one address send 4 unreadable messages each at once (the allowance:
            // 5 a second, 10 in a burst), more than the address's allowance refills while they wait
            for (WsClient c : bad) {
                for (int i = 0; i < 4; i++) {
                    c.send("not json " + i);
                }
            }
            // Then every message is answered, none lost
            List<String> pauses = new ArrayList<>();
            for (WsClient c : bad) {
                int[] answered = {0};
                c.until(m -> {
                    if (m.contains("rate-limited: too many invalid messages")) {
                        pauses.add(m);
                    } else if (m.contains("malformed")) {
                        answered[0]++;
                    }
                    return answered[0] == 4;
                }, WAIT);
            }
            // And a connection that was over the allowance again when it was read again waited twice as long (±25 %)
            List<Long> millis = pauses.stream()
                    .map(m -> Long.parseLong(m.replaceAll(".*read again in (\\d+) ms.*", "$1"))).toList();
            assertThat(millis).allMatch(ms -> ms >= 750 && ms <= 20_000);
            assertThat(millis).anyMatch(ms -> ms >= 1_500);
        } finally {
            bad.forEach(WsClient::close);
        }
    }

    @Test
    void aClientThatDoesNotWaitForItsOksIsToldToAtItsCap() throws Exception {
        EventSigner author = EventSigner.random();
        List<Event> sent = new ArrayList<>();
        try (WsClient c = new WsClient(gateway.port())) {
            c.challenge();
            for (int i = 0; i < 60; i++) {
                Event e = author.sign(1, List.of(), "pending " + i);
                sent.add(e);
                c.send(Nostr.event(e));
            }
            List<String> oks = new ArrayList<>();
            c.until(m -> {
                if (m.startsWith("[\"OK\"")) {
                    oks.add(m);
                }
                return oks.size() == sent.size();
            }, WAIT);
            // Every EVENT got one OK; those past 5 waiting were refused at once
            for (Event e : sent) {
                assertThat(oks).filteredOn(m -> Nostr.isOk(m, e)).hasSize(1);
            }
            assertThat(oks).filteredOn(m -> m.contains("\"rate-limited: 5 EVENTs of this connection await their OK"))
                    .isNotEmpty();
            assertThat(oks).filteredOn(m -> m.contains(",true,")).isNotEmpty();
            assertThat(c.drain(java.time.Duration.ofMillis(300))).isEmpty();
        }
    }

    /** A REQ whose filter names this #t takes 200 ms more. */
    private static final String SLOW_TAG = "slow-query";

    @Test
    void aClientsManyQueriesTakeTurnsWithAnotherClientsQuery() throws Exception {
        try (WsClient greedy = new WsClient(gateway.port()); WsClient polite = new WsClient(gateway.port())) {
            greedy.challenge();
            polite.challenge();
            // When one client sends ten REQs that take 200 ms each (the gateway has two query threads), then another one REQ
            for (int i = 0; i < 10; i++) {
                greedy.send(Nostr.req("g" + i, "{\"#t\":[\"" + SLOW_TAG + "\"]}"));
            }
            Thread.sleep(50);
            polite.send(Nostr.req("p", "{\"kinds\":[0],\"limit\":1}"));
            // Then the other client's REQ is answered in its turn, not after all ten
            polite.until(m -> Nostr.isEose(m, "p"), WAIT);
            long answered = System.nanoTime();
            List<Long> greedyEose = new ArrayList<>();
            greedy.until(m -> {
                if (m.startsWith("[\"EOSE\"")) {
                    greedyEose.add(System.nanoTime());
                }
                return greedyEose.size() == 10;
            }, WAIT);
            assertThat(TimeUnit.NANOSECONDS.toMillis(greedyEose.get(9) - answered))
                    .as("the greedy client's last REQs were still waiting when the other was answered")
                    .isGreaterThan(600);
        }
    }

    @Test
    void anAddressOverItsShareOfQueryTimeIsToldSoWhileAnotherAddressIsServed() throws Exception {
        Map<String, String> hogAddress = Map.of("X-Forwarded-For", "198.51.100.7");
        List<WsClient> hog = new ArrayList<>();
        try (WsClient polite = new WsClient(gateway.port(), Map.of("X-Forwarded-For", "203.0.113.9"))) {
            for (int i = 0; i < 4; i++) {
                hog.add(new WsClient(gateway.port(), hogAddress));
            }
            // When one address keeps four connections' slow REQs (200 ms each) on the two query threads
            // for 3 s, while another address sends a quick REQ now and then
            List<Long> politeMillis = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int n = 0;
            while (System.nanoTime() < until) {
                for (WsClient c : hog) {
                    c.send(Nostr.req("h" + (n++ % 4), "{\"#t\":[\"" + SLOW_TAG + "\"]}")); // replacing: no pile-up
                }
                if (n % 16 == 0) {
                    long sent = System.nanoTime();
                    polite.send(Nostr.req("p" + n, "{\"kinds\":[0],\"limit\":1}"));
                    String last = "p" + n;
                    List<String> got = polite.until(m -> Nostr.isEose(m, last) || m.startsWith("[\"CLOSED\""), WAIT);
                    assertThat(got.get(got.size() - 1)).as("the other address's REQ is answered").startsWith("[\"EOSE\"");
                    politeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                    polite.send(Nostr.close(last));
                }
                Thread.sleep(50);
            }
            // Then that address's REQs are refused for its share of query time, the other's are not
            List<String> refused = new ArrayList<>();
            for (WsClient c : hog) {
                refused.addAll(c.drain(Duration.ofMillis(300)).stream()
                        .filter(m -> m.startsWith("[\"CLOSED\"") && m.contains("share of query time")).toList());
            }
            assertThat(refused).as("the busy address's REQs refused for its share").isNotEmpty();
            assertThat(refused.get(0)).contains("rate-limited: ");
            assertThat(politeMillis).as("the other address's REQs").isNotEmpty();
        } finally {
            hog.forEach(WsClient::close);
        }
    }

    /** The store's read path, whose history query waits while a test holds it up. */
    private record Holdable(History real) implements History {
        @Override
        public List<byte[]> query(List<Filter> filters, int maxLimit, ReadAccess access) {
            try {
                slowHistory.await(60, TimeUnit.SECONDS);
                if (filters.stream().anyMatch(f -> f.tags() != null && f.tags().getOrDefault('t', java.util.Set.of())
                        .contains(SLOW_TAG))) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.query(filters, maxLimit, access);
        }

        @Override
        public List<byte[]> queryStoredSince(List<Filter> filters, long storedSinceMillis, int cap, ReadAccess access) {
            return real.queryStoredSince(filters, storedSinceMillis, cap, access);
        }

        @Override
        public Count count(List<Filter> filters, ReadAccess access, int cap) {
            return real.count(filters, access, cap);
        }

        @Override
        public int timesAndIds(List<Filter> filters, int cap, ReadAccess access, ObjLongConsumer<byte[]> sink) {
            return real.timesAndIds(filters, cap, access, sink);
        }
    }
}
