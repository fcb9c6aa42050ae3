package io.nostrex.validator;

import java.util.Map;

/**
 * Settings of the validator role. {@code kafka} holds client settings passed straight to Kafka
 * (bootstrap.servers and anything else); {@code group} is the consumer group of all validators.
 */
public record ValidatorConfig(Map<String, Object> kafka, String group, Policies.Limits limits, WriteAccess access,
                              int eventsPerPubkeyPerSecond, int recentIds) {
    public ValidatorConfig {
        kafka = Map.copyOf(kafka);
    }

    public static ValidatorConfig defaults(Map<String, Object> kafka) {
        return new ValidatorConfig(kafka, "nostrex-validator", Policies.Limits.defaults(), WriteAccess.open(), 0, 200_000);
    }
}
