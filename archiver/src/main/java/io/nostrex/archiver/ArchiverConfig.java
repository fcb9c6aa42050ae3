package io.nostrex.archiver;

import java.util.Map;

/**
 * Settings of the archiver role; {@code kafka} passes straight to the Kafka clients.
 * {@code sendsOks}: it answers each event's client once stored (false with {@code NOSTREX_OK_AFTER=log},
 * where the validator answers once the event is in {@code nostr.events}).
 */
public record ArchiverConfig(Map<String, Object> kafka, String group, int maxBatch, long retryBackoffMillis,
                             boolean sendsOks) {
    public ArchiverConfig {
        kafka = Map.copyOf(kafka);
    }

    public ArchiverConfig(Map<String, Object> kafka, String group, int maxBatch, long retryBackoffMillis) {
        this(kafka, group, maxBatch, retryBackoffMillis, true);
    }

    public ArchiverConfig withOks(boolean sends) {
        return new ArchiverConfig(kafka, group, maxBatch, retryBackoffMillis, sends);
    }

    public static ArchiverConfig defaults(Map<String, Object> kafka) {
        return new ArchiverConfig(kafka, "nostrex-archiver", 1000, 1000);
    }
}
