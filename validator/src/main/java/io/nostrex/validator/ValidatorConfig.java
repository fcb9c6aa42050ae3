package io.nostrex.validator;

import java.util.Map;

/**
 * Settings of the validator role. {@code kafka} holds client settings passed straight to Kafka
 * (bootstrap.servers and anything else); {@code group} is the consumer group of all validators.
 * {@code okAfterLog}: the OK of an accepted event is sent once Kafka has it in {@code nostr.events}
 * ({@code NOSTREX_OK_AFTER=log}), not by the archiver once it is stored.
 */
public record ValidatorConfig(Map<String, Object> kafka, String group, Policies.Limits limits, WriteAccess access,
                              int eventsPerPubkeyPerSecond, int recentIds, boolean okAfterLog) {
    public ValidatorConfig {
        kafka = Map.copyOf(kafka);
    }

    /** OK after stored, the default. */
    public ValidatorConfig(Map<String, Object> kafka, String group, Policies.Limits limits, WriteAccess access,
                           int eventsPerPubkeyPerSecond, int recentIds) {
        this(kafka, group, limits, access, eventsPerPubkeyPerSecond, recentIds, false);
    }

    public static ValidatorConfig defaults(Map<String, Object> kafka) {
        return new ValidatorConfig(kafka, "nostrex-validator", Policies.Limits.defaults(), WriteAccess.open(), 0, 200_000);
    }
}
