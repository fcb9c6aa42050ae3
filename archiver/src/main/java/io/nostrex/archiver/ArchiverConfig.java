package io.nostrex.archiver;

import java.util.Map;

/** Settings of the archiver role; {@code kafka} passes straight to the Kafka clients. */
public record ArchiverConfig(Map<String, Object> kafka, String group, int maxBatch, long retryBackoffMillis) {
    public ArchiverConfig {
        kafka = Map.copyOf(kafka);
    }

    public static ArchiverConfig defaults(Map<String, Object> kafka) {
        return new ArchiverConfig(kafka, "nostrex-archiver", 1000, 1000);
    }
}
