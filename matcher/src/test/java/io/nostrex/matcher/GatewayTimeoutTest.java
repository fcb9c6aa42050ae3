package io.nostrex.matcher;

import static io.nostrex.matcher.MatcherTopologyTest.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.TestCorpus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateways that stop heartbeating (default timeout 30 s, checked every 5 s) lose their subscriptions. */
class GatewayTimeoutTest {
    private static final String LINE = TestCorpus.lines().get(0);
    private static final Event EVENT = TestCorpus.events().get(0);

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
    void aSilentGatewayIsDroppedAndItsKeysTombstoned() {
        // Given gw-a heartbeating, and gw-b subscribing but never heartbeating
        matcher.heartbeat("gw-a");
        matcher.subscribe(subscription("gw-a", 1, "s", Filter.any()));
        matcher.subscribe(subscription("gw-b", 1, "s", Filter.any()));
        matcher.subscribe(subscription("gw-b", 2, "t", Filter.any()));
        // When 20 s pass, gw-a heartbeats, and 15 s more pass
        matcher.advance(Duration.ofSeconds(20));
        assertThat(matcher.sink.tombstones).isEmpty();
        matcher.heartbeat("gw-a");
        matcher.advance(Duration.ofSeconds(15));
        // Then gw-b (silent for 35 s) is dropped: out of the index, its keys and heartbeat key tombstoned
        assertThat(matcher.sink.tombstones).containsExactly("gw-b/1/s", "gw-b/2/t", "gw-b");
        // and gw-b is told, in case it was only cut off from Kafka and is back later
        assertThat(matcher.sink.sweeps).extracting(java.util.Map.Entry::getKey).containsExactly("gw-b");
        matcher.stored.pipeInput(EVENT.pubkey(), LINE);
        assertThat(matcher.deliveries.readRecordsToList()).extracting(TestRecord::key).containsExactly("gw-a");
        assertThat(matcher.index.size()).isEqualTo(1);
    }

    @Test
    void aGatewayThatStopsHeartbeatingIsDroppedOnce() {
        // Given gw-a heartbeating with one subscription
        matcher.heartbeat("gw-a");
        matcher.subscribe(subscription("gw-a", 1, "s", Filter.any()));
        // When it stays silent past the timeout, and long after
        matcher.advance(Duration.ofSeconds(30));
        assertThat(matcher.sink.tombstones).isEmpty();
        matcher.advance(Duration.ofSeconds(5));
        matcher.advance(Duration.ofSeconds(60));
        // Then it is dropped once
        assertThat(matcher.sink.tombstones).containsExactly("gw-a/1/s", "gw-a");
        assertThat(matcher.sink.sweeps).hasSize(1);
        // And the tombstones, coming back through the topic, empty the store
        List.copyOf(matcher.sink.tombstones).forEach(matcher::tombstone);
        try (var all = matcher.store().all()) {
            assertThat(all.hasNext()).isFalse();
        }
        assertThat(matcher.index.size()).isZero();
    }

    /**
     * The fault drill's Kafka cut: a matcher that had not yet swept a gateway cut off for almost its
     * timeout swept it after the gateway was back and had registered again (answering the other
     * matcher's sweep), and dropped those fresh registrations.
     */
    @Test
    void aGatewayThatRegistersAgainIsNotSweptForItsSilenceBefore() {
        // Given gw-a heartbeating with one subscription, then cut off from Kafka for 28 s
        matcher.heartbeat("gw-a");
        matcher.subscribe(subscription("gw-a", 1, "s", Filter.any()));
        matcher.advance(Duration.ofSeconds(28));
        // When it is back and registers the subscription again, as a new version, before any heartbeat
        matcher.subscribe(subscription("gw-a", 1, "s", Filter.any()));
        matcher.advance(Duration.ofSeconds(7));
        // Then it is not swept 35 s after its last heartbeat
        assertThat(matcher.sink.tombstones).isEmpty();
        assertThat(matcher.sink.sweeps).isEmpty();
        // And silent from then on, it is swept on time
        matcher.advance(Duration.ofSeconds(30));
        assertThat(matcher.sink.tombstones).containsExactly("gw-a/1/s", "gw-a");
    }

    /**
     * The fault drill's Kafka cut with two matchers: the first to sweep a gateway tombstones its
     * subscriptions, which empties the other's store and index before that one sweeps. The second
     * sweep has nothing to drop, and its notice made the gateway register everything once more.
     */
    @Test
    void aSweepThatDropsNothingSendsNoNotice() {
        // Given gw-a heartbeating with one subscription, which another matcher's sweep then tombstones
        matcher.heartbeat("gw-a");
        matcher.subscribe(subscription("gw-a", 1, "s", Filter.any()));
        matcher.tombstone("gw-a/1/s");
        // When gw-a stays silent past the timeout
        matcher.advance(Duration.ofSeconds(35));
        // Then its heartbeat key is tombstoned, and the gateway is not told to register again
        assertThat(matcher.sink.tombstones).containsExactly("gw-a");
        assertThat(matcher.sink.sweeps).isEmpty();
    }

    @Test
    void aMalformedHeartbeatDoesNotKeepAGatewayAlive() {
        // Given gw-a subscribed, then sending only malformed heartbeats
        matcher.subscribe(subscription("gw-a", 1, "s", Filter.any()));
        matcher.advance(Duration.ofSeconds(25));
        matcher.subscriptions.pipeInput("gw-a", "{not json");
        matcher.advance(Duration.ofSeconds(10));
        // Then it is dropped on time
        assertThat(matcher.sink.tombstones).containsExactly("gw-a/1/s", "gw-a");
    }
}
