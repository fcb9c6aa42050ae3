package io.nostrex.matcher;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the matcher role.
 *
 * @param applicationId          Kafka Streams application id, shared by all matcher instances
 *                               (default {@code nostrex-matcher})
 * @param bootstrapServers       Kafka bootstrap servers
 * @param stateDir               Kafka Streams state directory (holds the subscriptions store); null
 *                               for the Kafka Streams default
 * @param heartbeatCheckInterval how often silent gateways are looked for (default 5 s)
 * @param gatewayTimeout         how long a gateway may stay silent before its subscriptions are
 *                               dropped (default 30 s)
 * @param streamThreads          Kafka Streams threads matching events (default 1)
 * @param kafka                  further client settings, passed straight to Kafka Streams and to the
 *                               control producer; they win over the defaults above
 */
public record MatcherConfig(String applicationId, String bootstrapServers, String stateDir,
                            Duration heartbeatCheckInterval, Duration gatewayTimeout, int streamThreads,
                            Map<String, String> kafka) {
    public static final String DEFAULT_APPLICATION_ID = "nostrex-matcher";

    public MatcherConfig {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        requirePositive(heartbeatCheckInterval, "heartbeatCheckInterval");
        requirePositive(gatewayTimeout, "gatewayTimeout");
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be at least 1");
        }
        kafka = Map.copyOf(kafka);
    }

    public static MatcherConfig defaults(String bootstrapServers) {
        return new MatcherConfig(DEFAULT_APPLICATION_ID, bootstrapServers, null, Duration.ofSeconds(5),
                Duration.ofSeconds(30), 1, Map.of());
    }

    public MatcherConfig withStateDir(String dir) {
        return new MatcherConfig(applicationId, bootstrapServers, dir, heartbeatCheckInterval, gatewayTimeout,
                streamThreads, kafka);
    }

    public MatcherConfig withKafka(Map<String, String> settings) {
        return new MatcherConfig(applicationId, bootstrapServers, stateDir, heartbeatCheckInterval, gatewayTimeout,
                streamThreads, settings);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
