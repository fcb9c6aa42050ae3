package io.nostrex.matcher;

import static io.nostrex.matcher.Fixtures.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nostrex.contract.ContractException;
import io.nostrex.contract.Delivery;
import io.nostrex.contract.Origin;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.contract.WarmupMark;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.TestCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MatcherTopologyTest {
    /** A real event with a p tag and non-ASCII content, so that byte-for-byte forwarding is tested. */
    private static final String LINE = TestCorpus.lines().stream()
            .filter(l -> l.contains("[\"p\",") && !StandardCharsets.US_ASCII.newEncoder().canEncode(l))
            .findFirst().orElseThrow();
    private static final Event EVENT = TestCorpus.events().get(TestCorpus.lines().indexOf(LINE));

    @TempDir
    Path stateDir;
    private TopologyHarness matcher;

    @BeforeEach
    void start() {
        matcher = new TopologyHarness(stateDir);
    }

    @AfterEach
    void stop() {
        matcher.close();
    }

    @Test
    void aSubscriptionIsAcknowledgedOnceIndexed() {
        // When a gateway publishes a subscription
        matcher.subscribe(sub("gw-a", 7, "feed", 3, "{'kinds':[1]}"));
        // Then the index and the store hold it, and the gateway gets its ack
        assertThat(matcher.index.version("gw-a/7/feed")).hasValue(3);
        assertThat(matcher.store().get("gw-a/7/feed")).isNotNull();
        assertThat(matcher.sink.acks).containsExactly(Map.entry("gw-a", new Delivery.Ack(7, "feed", 3)));
        assertThat(matcher.deliveries.isEmpty()).isTrue();
    }

    @Test
    void anEventGoesToEachGatewayWithItsTargetsAndUnchangedBytes() throws ContractException {
        // Given subscriptions on three gateways, two of which match the event
        matcher.subscribe(subscription("gw-a", 1, "by-author", filterOn("authors", EVENT.pubkey())));
        matcher.subscribe(subscription("gw-a", 1, "by-kind", Filter.any()));
        matcher.subscribe(subscription("gw-a", 2, "mentions", filterOn("#p", EVENT.firstTagValue("p"))));
        matcher.subscribe(subscription("gw-b", 9, "by-id", filterOn("ids", EVENT.id())));
        matcher.subscribe(subscription("gw-c", 1, "other", filterOn("authors", "f".repeat(64))));
        // When the stored event arrives, with origin headers
        RecordHeaders headers = new RecordHeaders();
        new Origin("gw-a", 1, 5, "203.0.113.9").writeTo(headers);
        matcher.stored.pipeInput(new TestRecord<>(EVENT.pubkey(), LINE, headers));
        // Then one record per matching gateway: the same bytes, the targets, the event's place in
        // nostr.stored, and no other header (nothing of the origin)
        Map<String, TestRecord<String, byte[]>> out = byKey(matcher.deliveries.readRecordsToList());
        assertThat(out).containsOnlyKeys("gw-a", "gw-b");
        out.values().forEach(r -> {
            assertThat(r.value()).isEqualTo(LINE.getBytes(StandardCharsets.UTF_8));
            assertThat(r.headers().toArray()).extracting(Header::key).containsExactly(Delivery.TO, Delivery.FROM);
            try {
                assertThat(Delivery.readFrom(r.headers())).isEqualTo(new Delivery.Position(0, 0));
            } catch (ContractException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(Fixtures.normalized(Map.of("gw-a", Delivery.readTargets(out.get("gw-a").headers()))))
                .isEqualTo(Map.of("gw-a", Map.of(1L, Set.of("by-author", "by-kind"), 2L, Set.of("mentions"))));
        assertThat(Delivery.readTargets(out.get("gw-b").headers()))
                .containsExactly(new Delivery.Target(9, List.of("by-id")));
    }

    @Test
    void eachEventIsTimedAndCountedWithTheRecordsItMade() {
        // Given two matching subscriptions on two gateways and one that does not match
        matcher.subscribe(subscription("gw-a", 1, "all", Filter.any()));
        matcher.subscribe(subscription("gw-b", 2, "all", Filter.any()));
        matcher.subscribe(subscription("gw-c", 3, "other", filterOn("authors", "f".repeat(64))));

        // When two events are stored
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);

        // Then
        assertThat(matcher.registry.get("nostrex.matcher.subscriptions").gauge().value()).isEqualTo(3);
        assertThat(matcher.registry.get("nostrex.matcher.match").timer().count()).isEqualTo(2);
        assertThat(matcher.registry.get("nostrex.matcher.events").counter().count()).isEqualTo(2);
        assertThat(matcher.registry.get("nostrex.matcher.routed").counter().count()).isEqualTo(4);
        assertThat(matcher.deliveries.readRecordsToList()).hasSize(4);
    }

    @Test
    void targetsTooManyForOneRecordSpillIntoMore() throws ContractException {
        // Given 5,000 connections of one gateway subscribed to everything with 64-character ids, about
        // 370 KiB of targets (put in the index directly: the global store is not what this is about)
        for (int conn = 0; conn < 5000; conn++) {
            matcher.index.put(subscription("gw-a", conn, "x".repeat(60) + (1000 + conn), Filter.any()));
        }
        // When an event arrives
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);
        // Then it goes out in several records, each under the budget, together every target once
        List<TestRecord<String, byte[]>> out = matcher.deliveries.readRecordsToList();
        assertThat(out).hasSize(2);
        List<Delivery.Target> all = new ArrayList<>();
        for (TestRecord<String, byte[]> r : out) {
            assertThat(r.headers().lastHeader(Delivery.TO).value().length).isLessThanOrEqualTo(SubscriptionIndex.MAX_TARGETS_BYTES);
            all.addAll(Delivery.readTargets(r.headers()));
        }
        assertThat(all).hasSize(5000).extracting(Delivery.Target::connection).doesNotHaveDuplicates();
    }

    @Test
    void eventsHandledBeforeARegistrationAreReplayedFromItsSinceAndTheAckSaysThePartitionIsCovered()
            throws ContractException {
        EventSigner signer = EventSigner.random();
        Event before = signer.sign(20001, List.of(), "before the REQ");
        Event after = signer.sign(20001, List.of(), "ephemeral, after the REQ");
        Event stored = signer.sign(1, List.of(), "stored, after the REQ");
        Event otherKind = signer.sign(20002, List.of(), "not asked for");
        long reqMillis = TopologyHarness.T0.toEpochMilli() + 2_000;
        // Given events handled before and after a REQ, while it is not yet registered
        matcher.stored.pipeInput(before.pubkey(), EventJson.write(before));
        matcher.advance(Duration.ofSeconds(3));
        for (Event e : List.of(after, stored, otherKind)) {
            matcher.stored.pipeInput(e.pubkey(), EventJson.write(e));
        }
        assertThat(matcher.deliveries.isEmpty()).isTrue();
        // When the subscription arrives, asking for what was handled since its REQ
        Filter byAuthor = filterOn("authors", signer.pubkey());
        matcher.subscribe(new SubscriptionRecord("gw-a", 4, "pings", 1,
                List.of(Fixtures.filter("{'kinds':[20001,1],'authors':['" + signer.pubkey() + "']}")), reqMillis));
        matcher.subscribe(subscription("gw-b", 5, "no-since", byAuthor));
        // Then the matching events handled after the REQ, ephemeral or stored, are sent to that
        // subscription, oldest first, before an ack that says the one partition is covered
        List<Delivery.Target> pings = List.of(new Delivery.Target(4, List.of("pings")));
        assertThat(matcher.sink.replayed).containsExactly(
                Map.entry("gw-a", Map.entry(EventJson.write(after), pings)),
                Map.entry("gw-a", Map.entry(EventJson.write(stored), pings)));
        assertThat(matcher.sink.acks).containsExactly(
                Map.entry("gw-a", new Delivery.Ack(4, "pings", 1, 1, Set.of(0), Set.of(0))),
                Map.entry("gw-b", new Delivery.Ack(5, "no-since", 1)));
        // And from now on its events are matched live
        Event live = signer.sign(20001, List.of(), "live");
        matcher.stored.pipeInput(live.pubkey(), EventJson.write(live));
        assertThat(byKey(matcher.deliveries.readRecordsToList())).containsOnlyKeys("gw-a", "gw-b");
        assertThat(matcher.sink.replayed).hasSize(2);
        assertThat(matcher.registry.get("nostrex.matcher.replayed").counter().count()).isEqualTo(2);
        assertThat(matcher.registry.get("nostrex.matcher.registrations").tag("covered", "all").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aGatewaysWarmupEventGoesToThatGatewayAloneMarkedAndIsNeverReplayed() {
        // Given subscriptions to everything on two gateways
        matcher.subscribe(subscription("gw-a", 1, "all", Filter.any()));
        matcher.subscribe(subscription("gw-b", 2, "all", Filter.any()));
        // When gw-a's warm-up event is handled, and another ephemeral event
        EventSigner signer = EventSigner.random();
        Event warmup = signer.sign(20999, List.of(), "warm-up");
        Event other = signer.sign(20999, List.of(), "a client's");
        RecordHeaders marked = new RecordHeaders();
        WarmupMark.mark(marked, "gw-a");
        matcher.stored.pipeInput(new TestRecord<>(warmup.pubkey(), EventJson.write(warmup), marked));
        matcher.stored.pipeInput(other.pubkey(), EventJson.write(other));
        // Then the warm-up event goes to gw-a alone, marked; the other to both, unmarked
        List<TestRecord<String, byte[]>> out = matcher.deliveries.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("gw-a", "gw-a", "gw-b");
        assertThat(out).extracting(r -> WarmupMark.gatewayOf(r.headers())).containsExactly("gw-a", null, null);
        // And a subscription that asks for what was handled since before them is replayed the other alone
        matcher.subscribe(new SubscriptionRecord("gw-b", 3, "since", 1, List.of(Filter.any()),
                TopologyHarness.T0.toEpochMilli()));
        assertThat(matcher.sink.replayed).containsExactly(Map.entry("gw-b",
                Map.entry(EventJson.write(other), List.of(new Delivery.Target(3, List.of("since"))))));
    }

    @Test
    void aSinceBeforeTheTaskStartedIsNotCoveredButWhatTheTaskHandledIsReplayed() {
        // Given an event handled by this task, which started at T0
        EventSigner signer = EventSigner.random();
        Event e = signer.sign(1, List.of(), "handled");
        matcher.stored.pipeInput(e.pubkey(), EventJson.write(e));
        // When a subscription asks for what was handled since before the task started
        long beforeStart = TopologyHarness.T0.toEpochMilli() - 1;
        matcher.subscribe(new SubscriptionRecord("gw-a", 4, "old", 1, List.of(filterOn("authors", signer.pubkey())),
                beforeStart));
        // Then what the task handled is replayed, but the ack says the partition is not covered:
        // unless the matcher that had it before covers it, the gateway queries instead
        assertThat(matcher.sink.replayed).extracting(Map.Entry::getKey).containsExactly("gw-a");
        assertThat(matcher.sink.acks).containsExactly(
                Map.entry("gw-a", new Delivery.Ack(4, "old", 1, 1, Set.of(0), Set.of())));
    }

    @Test
    void noMatchNoDelivery() {
        matcher.subscribe(subscription("gw-a", 1, "other", filterOn("authors", "f".repeat(64))));
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);
        assertThat(matcher.deliveries.isEmpty()).isTrue();
    }

    @Test
    void aClosedSubscriptionGetsNothing() {
        // Given a subscription, then its CLOSE tombstone
        SubscriptionRecord feed = subscription("gw-a", 1, "feed", Filter.any());
        matcher.subscribe(feed);
        matcher.tombstone(feed.key());
        // When an event arrives, Then it goes nowhere and the store forgot the key
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);
        assertThat(matcher.deliveries.isEmpty()).isTrue();
        assertThat(matcher.index.size()).isZero();
        assertThat(matcher.store().get(feed.key())).isNull();
    }

    @ParameterizedTest(name = "stored value {0}")
    @NullSource
    @ValueSource(strings = {"", "{not json", "{}", "[]", "{\"id\":\"short\"}", "null"})
    void aMalformedEventIsSkipped(String value) {
        // Given a subscription to everything
        matcher.subscribe(subscription("gw-a", 1, "all", Filter.any()));
        // When a malformed record, then a real event, arrive
        matcher.stored.pipeInput("k", value);
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);
        // Then the malformed one is skipped and the real one still delivered
        assertThat(matcher.deliveries.readRecordsToList()).hasSize(1);
    }

    @ParameterizedTest(name = "subscription value {0}")
    @ValueSource(strings = {"{nope", "[]", "{\"gw\":\"gw-b\",\"conn\":1,\"sub\":\"s\",\"v\":1,\"filters\":[]}",
            "{\"gw\":\"gw-a\",\"conn\":1,\"sub\":\"s\",\"v\":1,\"filters\":[{\"ids\":\"x\"}]}"})
    void aMalformedSubscriptionIsSkippedAndReplacesNothing(String value) {
        // Given a valid subscription under gw-a/1/s, then a malformed value under that key
        matcher.subscribe(subscription("gw-a", 1, "s", Filter.any()));
        matcher.subscriptions.pipeInput("gw-a/1/s", value);
        // Then the key counts as closed: not indexed, not stored, acked only once
        assertThat(matcher.index.size()).isZero();
        assertThat(matcher.store().get("gw-a/1/s")).isNull();
        assertThat(matcher.sink.acks).hasSize(1);
        // And later subscriptions still work
        matcher.subscribe(subscription("gw-a", 1, "t", Filter.any()));
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);
        assertThat(matcher.deliveries.readRecordsToList()).hasSize(1);
    }

    @Test
    void theIndexIsRebuiltFromTheStoreOnInit() {
        // Given a store filled through the topic (subscriptions, a close, a heartbeat)
        matcher.subscribe(subscription("gw-a", 1, "all", Filter.any()));
        matcher.subscribe(subscription("gw-b", 2, "author", filterOn("authors", EVENT.pubkey())));
        matcher.subscribe(subscription("gw-b", 2, "closed", Filter.any()));
        matcher.tombstone("gw-b/2/closed");
        matcher.heartbeat("gw-a");
        // When a fresh updater, with an empty index, starts over a copy of that store
        SubscriptionIndex fresh = new SubscriptionIndex();
        GatewayLiveness liveness = new GatewayLiveness();
        RecordingSink sink = new RecordingSink();
        new SubscriptionUpdater(MatcherTopology.STORE, fresh, liveness, sink, new RecentEvents(), () -> 1,
                new MatcherMetrics(new SimpleMeterRegistry(), fresh)).init(contextWith(copyOfStore(), 1_000));
        // Then the fresh index routes like the live one, and the rebuild sent no acks
        assertThat(fresh.size()).isEqualTo(2);
        assertThat(Fixtures.normalized(Fixtures.routing(fresh, EVENT)))
                .isEqualTo(Fixtures.normalized(Fixtures.routing(matcher.index, EVENT))).containsOnlyKeys("gw-a", "gw-b");
        assertThat(sink.acks).isEmpty();
        // And every gateway in the store is watched from the rebuild on
        assertThat(liveness.expire(31_000, 30_000)).isEmpty();
        assertThat(liveness.expire(31_001, 30_000)).containsExactlyInAnyOrder("gw-a", "gw-b");
    }

    private List<KeyValue<String, String>> copyOfStore() {
        List<KeyValue<String, String>> copy = new ArrayList<>();
        try (KeyValueIterator<String, String> all = matcher.store().all()) {
            all.forEachRemaining(copy::add);
        }
        return copy;
    }

    private static MockProcessorContext<Void, Void> contextWith(List<KeyValue<String, String>> entries, long now) {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(now);
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(MatcherTopology.STORE), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        store.putAll(entries);
        return context;
    }

    static SubscriptionRecord subscription(String gateway, long conn, String id, Filter filter) {
        return new SubscriptionRecord(gateway, conn, id, 1, List.of(filter));
    }

    static Filter filterOn(String field, String value) {
        return Fixtures.filter("{'" + field + "':['" + value + "']}");
    }

    private static Map<String, TestRecord<String, byte[]>> byKey(List<TestRecord<String, byte[]>> records) {
        Map<String, TestRecord<String, byte[]>> out = new java.util.HashMap<>();
        records.forEach(r -> assertThat(out.put(r.key(), r)).as("one record per gateway").isNull());
        return out;
    }
}
