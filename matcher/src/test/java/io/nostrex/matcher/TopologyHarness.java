package io.nostrex.matcher;

import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.contract.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The matcher topology in a TopologyTestDriver, with its topics, index and a recording sink. */
final class TopologyHarness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    final MatcherConfig config = MatcherConfig.defaults("unused:9092");
    final SubscriptionIndex index = new SubscriptionIndex();
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    final MatcherMetrics metrics = new MatcherMetrics(registry, index);
    final RecordingSink sink = new RecordingSink();
    /** The matcher's clock: the driver's wall-clock time, moved with it. */
    final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(T0.toEpochMilli());
    final TopologyTestDriver driver;
    final TestInputTopic<String, String> subscriptions;
    final TestInputTopic<String, String> stored;
    final TestOutputTopic<String, byte[]> deliveries;

    TopologyHarness(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "matcher-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(MatcherTopology.build(config, index, sink, metrics, () -> 1, clock::get), props, T0);
        subscriptions = driver.createInputTopic(Topics.SUBSCRIPTIONS, new StringSerializer(), new StringSerializer());
        stored = driver.createInputTopic(Topics.STORED, new StringSerializer(), new StringSerializer());
        deliveries = driver.createOutputTopic(Topics.DELIVERIES, new StringDeserializer(), new ByteArrayDeserializer());
    }

    void subscribe(SubscriptionRecord sub) {
        subscriptions.pipeInput(sub.key(), sub.toJson());
    }

    void tombstone(String key) {
        subscriptions.pipeInput(key, (String) null);
    }

    void heartbeat(String gateway) {
        subscriptions.pipeInput(gateway, SubscriptionRecord.heartbeatJson(gateway, T0.toEpochMilli()));
    }

    void advance(Duration d) {
        clock.addAndGet(d.toMillis());
        driver.advanceWallClockTime(d);
    }

    KeyValueStore<String, String> store() {
        return driver.getKeyValueStore(MatcherTopology.STORE);
    }

    @Override
    public void close() {
        driver.close();
    }
}
