package io.nostrex.matcher;

import java.time.Duration;
import io.nostrex.contract.Topics;
import io.nostrex.ops.Health;
import io.nostrex.ops.Metrics;
import io.nostrex.ops.Ops;
import io.nostrex.ops.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matcher role: the subscription index, the control producer and the Kafka Streams application
 * of {@link MatcherTopology}, wired by hand. A stream thread that dies shuts the client down: the
 * client goes to ERROR, liveness fails and the process is told it is fatal. The matcher is ready
 * once the client is RUNNING: its global store of subscriptions restored and its partitions
 * assigned.
 */
public final class Matcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Matcher.class);
    private static final String ROLE = "matcher";

    private final SubscriptionIndex index;
    private final KafkaControlSink sink;
    private final KafkaStreams streams;
    private final Health health;
    private final List<AutoCloseable> meterBindings;

    private Matcher(SubscriptionIndex index, KafkaControlSink sink, KafkaStreams streams, Ops ops) {
        this.index = index;
        this.sink = sink;
        this.streams = streams;
        this.health = ops.health();
        this.meterBindings = List.of(Metrics.bind(ops.registry(), streams, ROLE),
                Metrics.bind(ops.registry(), sink.producer(), ROLE));
    }

    /** Starts the matcher; its meters go to {@code ops}' registry, its liveness to its health. */
    public static Matcher start(MatcherConfig config, Ops ops) {
        SubscriptionIndex index = new SubscriptionIndex();
        KafkaControlSink sink = KafkaControlSink.create(producerSettings(config));
        try {
            KafkaStreams streams = new KafkaStreams(MatcherTopology.build(config, index, sink,
                    new MatcherMetrics(ops.registry(), index),
                    () -> sink.producer().partitionsFor(Topics.STORED).size(), System::currentTimeMillis),
                    streamsProperties(config));
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("matcher stream thread died: {}", e.toString(), e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            Matcher m = new Matcher(index, sink, streams, ops);
            m.watch();
            streams.start();
            return m;
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    /** Liveness from the client's state, readiness once RUNNING, and ERROR is fatal. */
    private void watch() {
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                health.fatal(ROLE, new IllegalStateException("Kafka Streams client went from " + before + " to ERROR"));
            }
        });
        health.live(ROLE, () -> Status.when(isRunning(), "Kafka Streams " + streams.state(),
                "Kafka Streams " + streams.state()));
        health.ready(ROLE + " streams", () -> Status.when(streams.state() == KafkaStreams.State.RUNNING,
                "running with " + index.size() + " subscriptions", "Kafka Streams " + streams.state()));
    }

    /** Settings of the control producer: the bootstrap servers, overridden by the extra settings. */
    static Map<String, String> producerSettings(MatcherConfig config) {
        Map<String, String> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.putAll(config.kafka());
        return p;
    }

    /** Settings of Kafka Streams: the config's fields, overridden by its extra settings. */
    static Properties streamsProperties(MatcherConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        if (config.stateDir() != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        }
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.streamThreads()));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "1");
        // commit often: after a crash the events since the last commit are matched again
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        p.putAll(config.kafka());
        return p;
    }

    public boolean isRunning() {
        KafkaStreams.State s = streams.state();
        return s.isRunningOrRebalancing() || s == KafkaStreams.State.CREATED;
    }

    public SubscriptionIndex index() {
        return index;
    }

    @Override
    public void close() {
        health.remove(ROLE);
        health.remove(ROLE + " streams");
        // leave the group now, so a restarted or replacing matcher takes the partitions at once
        // instead of after the session timeout
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(10)));
        for (AutoCloseable binding : meterBindings) {
            try {
                binding.close();
            } catch (Exception e) {
                LOG.warn("unbinding the matcher's Kafka meters: {}", e.toString());
            }
        }
        sink.close();
    }
}
