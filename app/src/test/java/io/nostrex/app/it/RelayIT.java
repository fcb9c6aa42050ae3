package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.delivered;
import static io.nostrex.app.it.Nostr.event;
import static io.nostrex.app.it.Nostr.isEose;
import static io.nostrex.app.it.Nostr.isOk;
import static io.nostrex.app.it.Nostr.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.contract.Origin;
import io.nostrex.contract.Topics;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real client against the real relay (all four roles, real Kafka, real PostgreSQL): NIP-01/09/40. */
class RelayIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    static WsClient clientA() {
        return new WsClient(relay.gatewayA().port());
    }

    static WsClient clientB() {
        return new WsClient(relay.gatewayB().port());
    }

    /** Publishes and returns the OK message. */
    static String publish(WsClient c, Event e) throws InterruptedException {
        c.send(event(e));
        List<String> got = c.until(m -> isOk(m, e), WAIT);
        return got.get(got.size() - 1);
    }

    static List<String> query(WsClient c, String subId, String filter) throws InterruptedException {
        c.send(req(subId, filter));
        List<String> got = c.until(m -> isEose(m, subId), WAIT);
        c.send(Nostr.close(subId));
        return got.subList(0, got.size() - 1);
    }

    @Test
    void okTrueThenVisibleToReqOnTheOtherGateway() throws Exception {
        EventSigner alice = EventSigner.random();
        Event note = alice.sign(1, List.of(List.of("t", "nostrex")), "hello from A");
        try (WsClient a = clientA(); WsClient b = clientB()) {
            assertThat(publish(a, note)).isEqualTo(Nostr.ok(note, true, ""));
            assertThat(query(b, "q", "{\"ids\":[\"" + note.id() + "\"]}")).containsExactly(delivered("q", note));
            assertThat(query(b, "t", "{\"#t\":[\"nostrex\"],\"authors\":[\"" + alice.pubkey() + "\"]}"))
                    .containsExactly(delivered("t", note));
        }
    }

    @Test
    void liveEventCrossesGatewaysOnceAfterHistory() throws Exception {
        EventSigner bob = EventSigner.random();
        Event first = bob.sign(1, List.of(), "first");
        Event second = bob.sign(1, List.of(), "second");
        try (WsClient a = clientA(); WsClient b = clientB()) {
            publish(a, first);
            b.send(req("live", "{\"authors\":[\"" + bob.pubkey() + "\"]}"));
            assertThat(b.until(m -> isEose(m, "live"), WAIT)).containsExactly(delivered("live", first),
                    "[\"EOSE\",\"live\"]");
            publish(a, second);
            assertThat(b.next(WAIT)).isEqualTo(delivered("live", second));
            assertThat(b.drain(Duration.ofMillis(700))).isEmpty();
        }
    }

    @Test
    void aReqClosedRightAfterEoseNeverReachesTheMatcherWhileAnOpenOneDoes() throws Exception {
        String oneShot = "one-shot-" + System.nanoTime();
        String kept = "kept-" + System.nanoTime();
        try (WsClient b = clientB()) {
            query(b, oneShot, "{\"kinds\":[1],\"limit\":1}");
            // no kinds: it could match ephemeral events, and still stays off the matcher
            query(b, oneShot + "-any-kind", "{\"authors\":[\"" + "ab".repeat(32) + "\"],\"limit\":1}");
            b.send(req(kept, "{\"kinds\":[1],\"limit\":1}"));
            b.until(m -> isEose(m, kept), WAIT);
            Set<String> registered = registeredSubscriptionIds(kept);
            assertThat(registered).contains(kept).doesNotContain(oneShot, oneShot + "-any-kind");
        }
    }

    /**
     * Past the gateway an event is never written again: what the ingress record holds is what the
     * log and the store keep, character for character (here a form EventJson would not write).
     */
    @Test
    void anEventGoesOnAsItsIngressRecordHasIt() throws Exception {
        Event note = EventSigner.random().sign(1, List.of(List.of("t", "verbatim")), "verbatim " + System.nanoTime());
        String asSent = io.nostrex.protocol.EventJson.write(note).replace(",\"kind\":", ", \"kind\": ");
        produce(List.of(new ProducerRecord<>(Topics.INGRESS, note.id(), asSent)));
        assertThat(recordOf(Topics.EVENTS, note.id()).value()).isEqualTo(asSent);
        try (WsClient c = clientA()) {
            List<String> got = List.of();
            for (long until = System.nanoTime() + WAIT.toNanos(); got.isEmpty() && System.nanoTime() < until; ) {
                got = query(c, "v", "{\"ids\":[\"" + note.id() + "\"]}");
            }
            assertThat(got).containsExactly("[\"EVENT\",\"v\"," + asSent + "]");
        }
    }

    @Test
    void theClientsAddressStaysOnIngressAndNeverReachesThePermanentLog() throws Exception {
        EventSigner alice = EventSigner.random();
        Event note = alice.sign(1, List.of(), "where from? " + System.nanoTime());
        try (WsClient a = clientA()) {
            assertThat(publish(a, note)).isEqualTo(Nostr.ok(note, true, ""));
        }
        ConsumerRecord<String, String> ingress = recordOf(Topics.INGRESS, note.id());
        ConsumerRecord<String, String> events = recordOf(Topics.EVENTS, note.id());
        assertThat(new String(ingress.headers().lastHeader(Origin.ADDRESS).value(), StandardCharsets.UTF_8))
                .isEqualTo("127.0.0.1");
        // nostr.events keeps where and when the event came in, for the pipeline's timing, but not who sent it
        assertThat(events.headers().lastHeader(Origin.ADDRESS)).isNull();
        Origin kept = Origin.readFrom(events.headers());
        assertThat(kept).isNotNull();
        assertThat(kept.clientAddress()).isNull();
        assertThat(kept.receivedMillis()).isEqualTo(Origin.readFrom(ingress.headers()).receivedMillis());
    }

    @Test
    void aStoredRecordIsStampedWithTheTimeItsGatewayReceivedTheEvent() throws Exception {
        Event note = EventSigner.random().sign(1, List.of(), "when in? " + System.nanoTime());
        try (WsClient a = clientA()) {
            assertThat(publish(a, note)).isEqualTo(Nostr.ok(note, true, ""));
        }
        long received = Origin.readFrom(recordOf(Topics.INGRESS, note.id()).headers()).receivedMillis();
        // the matchers keep it on the delivery, for the delivering gateway's pipeline latency
        assertThat(recordOf(Topics.STORED, note.id()).timestamp()).isEqualTo(received);
    }

    /** A consumer of every partition of {@code topic}, without a group, at the beginning. */
    private static KafkaConsumer<String, String> fromTheBeginning(String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.get().bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** The first record of {@code topic} whose value holds {@code text}, reading from the beginning. */
    private static ConsumerRecord<String, String> recordOf(String topic, String text) {
        try (KafkaConsumer<String, String> consumer = fromTheBeginning(topic)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && r.value().contains(text)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record holding " + text + " on " + topic + " within " + WAIT);
    }

    /** Subscription ids on nostr.subscriptions, read until {@code awaited} shows up and a second more. */
    private static Set<String> registeredSubscriptionIds(String awaited) {
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = fromTheBeginning(Topics.SUBSCRIPTIONS)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key();
                    ids.add(key.substring(key.lastIndexOf('/') + 1));
                }
                if (ids.contains(awaited) && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return ids;
    }

    @Test
    void duplicateAndInvalidEventsGetTheRightOk() throws Exception {
        EventSigner carol = EventSigner.random();
        Event note = carol.sign(1, List.of(), "once");
        try (WsClient a = clientA()) {
            assertThat(publish(a, note)).isEqualTo(Nostr.ok(note, true, ""));
            assertThat(publish(a, note)).startsWith("[\"OK\",\"" + note.id() + "\",true,\"duplicate:");
            Event forged = new Event(note.id(), note.pubkey(), note.createdAt(), note.kind(), note.tags(),
                    "changed", note.sig());
            assertThat(publish(a, forged)).startsWith("[\"OK\",\"" + note.id() + "\",false,\"invalid:");
        }
    }

    @Test
    void replaceableKeepsOnlyTheLatest() throws Exception {
        EventSigner dave = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        Event v1 = dave.sign(now - 10, 0, List.of(), "{\"name\":\"v1\"}");
        Event v2 = dave.sign(now, 0, List.of(), "{\"name\":\"v2\"}");
        try (WsClient a = clientA()) {
            publish(a, v1);
            publish(a, v2);
            assertThat(query(a, "p", "{\"kinds\":[0],\"authors\":[\"" + dave.pubkey() + "\"]}"))
                    .containsExactly(delivered("p", v2));
            assertThat(publish(a, v1)).contains(",true,\"duplicate:");
        }
    }

    @Test
    void deletionRemovesAndBlocksTheEvent() throws Exception {
        EventSigner erin = EventSigner.random();
        Event note = erin.sign(1, List.of(), "regret");
        Event deletion = erin.sign(5, List.of(List.of("e", note.id())), "oops");
        try (WsClient a = clientA()) {
            publish(a, note);
            assertThat(publish(a, deletion)).isEqualTo(Nostr.ok(deletion, true, ""));
            assertThat(query(a, "d", "{\"ids\":[\"" + note.id() + "\"]}")).isEmpty();
            assertThat(publish(a, note)).startsWith("[\"OK\",\"" + note.id() + "\",false,\"blocked:");
        }
    }

    @Test
    void ephemeralIsDeliveredLiveAndNeverStored() throws Exception {
        EventSigner frank = EventSigner.random();
        Event ping = frank.sign(20001, List.of(), "ping");
        try (WsClient a = clientA(); WsClient b = clientB()) {
            b.send(req("e", "{\"kinds\":[20001],\"authors\":[\"" + frank.pubkey() + "\"]}"));
            b.until(m -> isEose(m, "e"), WAIT);
            // accepted before the REQ is registered (that waits for EOSE): replayed by the matcher
            assertThat(publish(a, ping)).isEqualTo(Nostr.ok(ping, true, ""));
            assertThat(b.next(WAIT)).isEqualTo(delivered("e", ping));
            assertThat(query(a, "h", "{\"ids\":[\"" + ping.id() + "\"]}")).isEmpty();
            // accepted once it is registered: matched live, and neither copy comes twice
            Thread.sleep(1_000);
            Event pong = frank.sign(20001, List.of(), "pong");
            assertThat(publish(a, pong)).isEqualTo(Nostr.ok(pong, true, ""));
            assertThat(b.next(WAIT)).isEqualTo(delivered("e", pong));
            assertThat(b.drain(Duration.ofMillis(700))).isEmpty();
        }
    }

    @Test
    void anEphemeralEventAcceptedRightAfterAReqIsDeliveredOnce() throws Exception {
        EventSigner hal = EventSigner.random();
        // history to send, so that the ping is likely accepted while the REQ's query runs; either way
        // it is accepted before the REQ is registered
        try (WsClient a = clientA(); WsClient b = clientB()) {
            for (int i = 0; i < 100; i++) {
                publish(a, hal.sign(1, List.of(), "note " + i));
            }
            Event ping = hal.sign(20001, List.of(), "ping");
            b.send(req("w", "{\"authors\":[\"" + hal.pubkey() + "\"],\"limit\":100}"));
            assertThat(publish(a, ping)).isEqualTo(Nostr.ok(ping, true, ""));
            List<String> got = b.until(m -> m.equals(delivered("w", ping)), WAIT);
            assertThat(got).filteredOn(m -> isEose(m, "w")).hasSize(1);
            assertThat(b.drain(Duration.ofMillis(1_500))).doesNotContain(delivered("w", ping));
        }
    }

    @Test
    void aGatewayTheMatchersSweptWhileItWasCutOffRegistersItsSubscriptionsAgainAndMissesNothing() throws Exception {
        EventSigner kim = EventSigner.random();
        String tag = "swept-" + System.nanoTime();
        List<List<String>> tags = List.of(List.of("t", tag));
        String gateway = relay.gatewayB().gatewayId();
        try (WsClient a = clientA(); WsClient b = clientB()) {
            // Given a live subscription on gateway B
            Event warm = liveOn(b, "kept", a, kim, tags);
            // When the matchers sweep gateway B, as they do when it is silent past their gateway timeout
            // (cut off from Kafka, say): its subscriptions tombstoned, an event published meanwhile, and
            // then the notice, which B reads once it is back
            Set<String> keys = liveSubscriptionKeys(gateway);
            assertThat(keys).as("B's registered subscriptions").isNotEmpty();
            produce(keys.stream().map(key -> new ProducerRecord<String, String>(Topics.SUBSCRIPTIONS, key, null)).toList());
            Thread.sleep(1_000); // the matcher applies the tombstones
            Event during = kim.sign(1, tags, "while swept");
            publish(a, during);
            var notice = new ProducerRecord<String, String>(Topics.DELIVERIES, gateway, null);
            io.nostrex.contract.Delivery.writeSwept(notice.headers(), System.currentTimeMillis() - 1_000);
            produce(List.of(notice));
            // Then B registers its subscriptions again: the event published while it was swept comes
            // (from the matchers' replay or a catch-up query), and so do the next ones, each once
            b.until(m -> m.equals(delivered("kept", during)), WAIT);
            Event after = kim.sign(1, tags, "after");
            publish(a, after);
            List<String> got = b.until(m -> m.equals(delivered("kept", after)), WAIT);
            assertThat(got).doesNotContain(delivered("kept", warm), delivered("kept", during));
            assertThat(b.drain(Duration.ofMillis(700))).isEmpty();
        }
    }

    @Test
    void anEventAMatcherMatchesAgainAfterACrashIsNotSentTwiceEvenLongAfter() throws Exception {
        EventSigner lea = EventSigner.random();
        String tag = "again-" + System.nanoTime();
        List<List<String>> tags = List.of(List.of("t", tag));
        String gateway = relay.gatewayB().gatewayId();
        try (WsClient a = clientA(); WsClient b = clientB()) {
            // Given a live subscription that got an event, and then more than its ring of recent ids
            liveOn(b, "once", a, lea, tags);
            Thread.sleep(1_000); // acknowledged by then: live events are remembered only in the ring
            Event first = lea.sign(1, tags, "first");
            publish(a, first);
            b.until(m -> m.equals(delivered("once", first)), WAIT);
            for (int i = 0; i < 140; i++) {
                a.send(event(lea.sign(1, tags, "then " + i)));
            }
            Event last = lea.sign(1, tags, "last of the burst");
            publish(a, last);
            b.until(m -> m.equals(delivered("once", last)), WAIT);
            // When a matcher matches the first event again, as one that crashed before its commit does
            String key = liveSubscriptionKeys(gateway).stream().filter(k -> k.endsWith("/once")).findFirst().orElseThrow();
            long connection = Long.parseLong(key.split("/")[1]);
            ConsumerRecord<String, String> stored = storedRecordOf(first.id());
            var again = new ProducerRecord<String, String>(Topics.DELIVERIES, gateway, stored.value());
            io.nostrex.contract.Delivery.writeTargets(again.headers(),
                    List.of(new io.nostrex.contract.Delivery.Target(connection, List.of("once"))));
            io.nostrex.contract.Delivery.writeFrom(again.headers(), stored.partition(), stored.offset());
            produce(List.of(again));
            // Then the client does not get it twice: the next live event comes, and nothing before it
            Event next = lea.sign(1, tags, "next");
            publish(a, next);
            List<String> got = b.until(m -> m.equals(delivered("once", next)), WAIT);
            assertThat(got).noneMatch(m -> m.contains(first.id()));
        }
    }

    /**
     * Opens a REQ {@code subId} on {@code subscriber} for the tags' first value and waits until it
     * gets an event {@code publisher} publishes live; returns that event.
     */
    private static Event liveOn(WsClient subscriber, String subId, WsClient publisher, EventSigner signer,
                                List<List<String>> tags) throws InterruptedException {
        subscriber.send(req(subId, "{\"#t\":[\"" + tags.get(0).get(1) + "\"]}"));
        subscriber.until(m -> isEose(m, subId), WAIT);
        Event warm = signer.sign(1, tags, "warm");
        publish(publisher, warm);
        subscriber.until(m -> m.equals(delivered(subId, warm)), WAIT);
        return warm;
    }

    /** Writes these records to the relay's Kafka, as a role would, each acknowledged in turn. */
    private static void produce(List<ProducerRecord<String, String>> records) throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(relay.settings.kafka(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (ProducerRecord<String, String> r : records) {
                producer.send(r).get();
            }
        }
    }

    /** The record of this event on nostr.stored. */
    private static ConsumerRecord<String, String> storedRecordOf(String eventId) {
        List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
        readTopic(Topics.STORED, r -> {
            if (r.value() != null && r.value().contains(eventId)) {
                found.add(r);
            }
        });
        assertThat(found).as("on " + Topics.STORED + ": " + eventId).isNotEmpty();
        return found.get(0);
    }

    /** The keys of this gateway's subscriptions on the compacted subscriptions topic, now. */
    private static Set<String> liveSubscriptionKeys(String gateway) {
        Map<String, String> latest = new java.util.HashMap<>();
        readTopic(Topics.SUBSCRIPTIONS, r -> latest.put(r.key(), r.value()));
        Set<String> keys = new HashSet<>();
        latest.forEach((k, v) -> {
            if (v != null && k.startsWith(gateway + "/")) {
                keys.add(k);
            }
        });
        return keys;
    }

    /** Every record of a topic, from the beginning to its end now. */
    private static void readTopic(String topic, java.util.function.Consumer<ConsumerRecord<String, String>> each) {
        Map<String, Object> props = new java.util.HashMap<>(relay.settings.kafka());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                c.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    @Test
    void aReqOpenedWhileEventsFlowGetsEachOnceCaughtUpByTheMatchersReplayWithoutAQuery() throws Exception {
        EventSigner ivy = EventSigner.random();
        String tag = "flow-" + System.nanoTime();
        List<List<String>> tags = List.of(List.of("t", tag));
        String metrics = "http://127.0.0.1:" + relay.gatewayB().port() + "/metrics";
        try (WsClient a = clientA(); WsClient b = clientB()) {
            // Given a matcher that has handled events for longer than the replay reaches back
            Event warm = ivy.sign(1, tags, "warm");
            publish(a, warm);
            Thread.sleep(1_500);
            Scrape before = Scrape.of(metrics);
            // When a REQ opens on the other gateway while events of its tag are published one after another
            List<Event> sent = new java.util.ArrayList<>(List.of(warm));
            for (int i = 0; i < 40; i++) {
                Event e = ivy.sign(1, tags, "note " + i);
                assertThat(publish(a, e)).isEqualTo(Nostr.ok(e, true, ""));
                sent.add(e);
                if (i == 10) {
                    b.send(req("flow", "{\"#t\":[\"" + tag + "\"]}"));
                }
                Thread.sleep(25);
            }
            // Then it gets every one, as history, replayed or live, and none twice
            Set<String> expected = new HashSet<>();
            sent.forEach(e -> expected.add(delivered("flow", e)));
            Set<String> got = new HashSet<>();
            b.until(m -> {
                if (m.startsWith("[\"EVENT\"")) {
                    assertThat(got.add(m)).as("sent twice: %s", m).isTrue();
                }
                return got.containsAll(expected);
            }, WAIT);
            assertThat(b.drain(Duration.ofMillis(700))).isEmpty();
            // And the matcher's replay covered the time between the REQ and its registration: no catch-up query ran
            Scrape after = Scrape.of(metrics);
            assertThat(after.sum("nostrex_catchup_total", "by=replay") - before.sum("nostrex_catchup_total", "by=replay"))
                    .isEqualTo(1);
            assertThat(after.sum("nostrex_catchup_latency_seconds_count")
                    - before.sum("nostrex_catchup_latency_seconds_count")).isZero();
            // and its registration's round trip to the matchers was timed
            assertThat(after.sum("nostrex_registration_latency_seconds_count")
                    - before.sum("nostrex_registration_latency_seconds_count")).isEqualTo(1);
            assertThat(after.sum("nostrex_registration_latency_seconds_sum")
                    - before.sum("nostrex_registration_latency_seconds_sum")).isPositive();
        }
    }

    @Test
    void aBurstOfLiveEventsReachesEverySubscriptionOnceAndInTheSameOrderOnEveryConnection() throws Exception {
        EventSigner jan = EventSigner.random();
        String tag = "burst-" + System.nanoTime();
        List<List<String>> tags = List.of(List.of("t", tag));
        try (WsClient a = clientA(); WsClient b = clientB(); WsClient c = clientB()) {
            // Given two connections on one gateway, one of them with two subscriptions that match
            b.send(req("one", "{\"#t\":[\"" + tag + "\"]}"));
            b.until(m -> isEose(m, "one"), WAIT);
            c.send(req("two", "{\"#t\":[\"" + tag + "\"]}"));
            c.send(req("three", "{\"#t\":[\"" + tag + "\"],\"kinds\":[1]}"));
            c.until(m -> isEose(m, "three"), WAIT);
            Event warm = jan.sign(1, tags, "warm");
            publish(a, warm);
            b.until(m -> m.equals(delivered("one", warm)), WAIT);
            Set<String> warmed = new HashSet<>(List.of(delivered("two", warm), delivered("three", warm)));
            c.until(m -> warmed.remove(m) && warmed.isEmpty(), WAIT); // both, in either order
            // When 300 events are published without waiting for their OKs, so that they arrive in batches
            List<Event> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Event e = jan.sign(1, tags, "burst " + i);
                sent.add(e);
                a.send(event(e));
            }
            // Then each subscription gets each event once, and both connections get them in one order
            List<String> toB = liveIds(b, sent.size(), "one").get("one");
            Map<String, List<String>> toC = liveIds(c, sent.size(), "two", "three");
            assertThat(toB).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(Event::id).toList());
            assertThat(toC.get("two")).isEqualTo(toB);
            assertThat(toC.get("three")).isEqualTo(toB);
            assertThat(b.drain(Duration.ofMillis(500))).isEmpty();
        }
    }

    private static final java.util.regex.Pattern EVENT_ID = java.util.regex.Pattern.compile("\"id\":\"([0-9a-f]{64})\"");

    /** By subscription, the ids of the events that reach the client, in arrival order, until each has {@code n}. */
    private static Map<String, List<String>> liveIds(WsClient client, int n, String... subIds) throws InterruptedException {
        Map<String, List<String>> ids = new java.util.HashMap<>();
        for (String subId : subIds) {
            ids.put(subId, new java.util.ArrayList<>());
        }
        client.until(m -> {
            for (String subId : subIds) {
                String prefix = "[\"EVENT\",\"" + subId + "\",";
                if (m.startsWith(prefix)) {
                    java.util.regex.Matcher id = EVENT_ID.matcher(m);
                    assertThat(id.find()).as("an event with an id: %s", m).isTrue();
                    ids.get(subId).add(id.group(1));
                }
            }
            return ids.values().stream().allMatch(l -> l.size() >= n);
        }, WAIT);
        return ids;
    }

    @Test
    void expiredEventsAreRefusedAndExpiringOnesStopBeingServed() throws Exception {
        EventSigner gina = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        Event expired = gina.sign(now - 60, 1, List.of(List.of("expiration", String.valueOf(now - 1))), "gone");
        Event expiring = gina.sign(now, 1, List.of(List.of("expiration", String.valueOf(now + 2))), "soon gone");
        try (WsClient a = clientA()) {
            assertThat(publish(a, expired)).startsWith("[\"OK\",\"" + expired.id() + "\",false,\"invalid:");
            assertThat(publish(a, expiring)).isEqualTo(Nostr.ok(expiring, true, ""));
            Thread.sleep(Math.max(0, (now + 3) * 1000 - System.currentTimeMillis()));
            assertThat(query(a, "x", "{\"ids\":[\"" + expiring.id() + "\"]}")).isEmpty();
        }
    }

    @Test
    void addressableKeepsLatestPerDTagAndDeletesByAddress() throws Exception {
        EventSigner lea = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        Event a1 = lea.sign(now - 5, 30023, List.of(List.of("d", "post-a")), "draft");
        Event a2 = lea.sign(now - 1, 30023, List.of(List.of("d", "post-a")), "final");
        Event b1 = lea.sign(now - 3, 30023, List.of(List.of("d", "post-b")), "other");
        String byAuthor = "{\"kinds\":[30023],\"authors\":[\"" + lea.pubkey() + "\"]}";
        try (WsClient c = clientA()) {
            for (Event e : List.of(a1, a2, b1)) {
                publish(c, e);
            }
            assertThat(query(c, "a", byAuthor)).containsExactly(delivered("a", a2), delivered("a", b1));
            Event deletion = lea.sign(now, 5, List.of(List.of("a", "30023:" + lea.pubkey() + ":post-a")), "");
            assertThat(publish(c, deletion)).isEqualTo(Nostr.ok(deletion, true, ""));
            assertThat(query(c, "b", byAuthor)).containsExactly(delivered("b", b1));
        }
    }

    @Test
    void countAnswersHowManyStoredEventsMatch() throws Exception {
        EventSigner max = EventSigner.random();
        try (WsClient c = clientA()) {
            for (int i = 0; i < 3; i++) {
                publish(c, max.sign(1, List.of(List.of("t", "counted")), "c" + i));
            }
            c.send("[\"COUNT\",\"n\",{\"authors\":[\"" + max.pubkey() + "\"]}]");
            assertThat(c.next(WAIT)).isEqualTo("[\"COUNT\",\"n\",{\"count\":3}]");
        }
    }
}
