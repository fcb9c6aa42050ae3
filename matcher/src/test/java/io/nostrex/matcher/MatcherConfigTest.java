package io.nostrex.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class MatcherConfigTest {
    @Test
    void defaults() {
        MatcherConfig c = MatcherConfig.defaults("k:9092");
        assertThat(c.applicationId()).isEqualTo("nostrex-matcher");
        assertThat(c.heartbeatCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.gatewayTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.streamThreads()).isEqualTo(1);
        assertThat(c.stateDir()).isNull();
    }

    @Test
    void streamsPropertiesCarryTheFieldsAndLetExtraSettingsWin() {
        // Given a config with a state dir and extra settings, one overriding a default
        MatcherConfig c = MatcherConfig.defaults("k:9092").withStateDir("/data/matcher")
                .withKafka(Map.of("security.protocol", "SSL", StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4"));
        // When turned into Kafka Streams properties
        Properties p = Matcher.streamsProperties(c);
        // Then
        assertThat(p).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "nostrex-matcher")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/data/matcher")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4")
                .containsEntry("security.protocol", "SSL");
        assertThat(Matcher.producerSettings(c)).containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new MatcherConfig("m", "k:9092", null, Duration.ZERO, Duration.ofSeconds(30), 1,
                Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MatcherConfig("m", "k:9092", null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                0, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
