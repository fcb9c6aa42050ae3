package io.nostrex.matcher;

import java.time.Duration;
import java.util.HashMap;
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
 * of {@link MatcherTopology}, wired by hand. A thread that dies shuts the client down, so
 * {@link #isRunning()} turns false and the health check reports it.
 */
public final class Matcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Matcher.class);

    private final SubscriptionIndex index;
    private final KafkaControlSink sink;
    private final KafkaStreams streams;

    private Matcher(SubscriptionIndex index, KafkaControlSink sink, KafkaStreams streams) {
        this.index = index;
        this.sink = sink;
        this.streams = streams;
    }

    public static Matcher start(MatcherConfig config) {
        SubscriptionIndex index = new SubscriptionIndex();
        KafkaControlSink sink = KafkaControlSink.create(producerSettings(config));
        try {
            KafkaStreams streams = new KafkaStreams(MatcherTopology.build(config, index, sink),
                    streamsProperties(config));
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("matcher stream thread died: {}", e.toString(), e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            return new Matcher(index, sink, streams);
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
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
        return streams.state().isRunningOrRebalancing();
    }

    public SubscriptionIndex index() {
        return index;
    }

    @Override
    public void close() {
        // leave the group now, so a restarted or replacing matcher takes the partitions at once
        // instead of after the session timeout
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(10)));
        sink.close();
    }
}
