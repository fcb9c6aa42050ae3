package io.nostrex.validator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nostrex.ops.Metrics;
import io.nostrex.ops.StageMeters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The validator's meters: every judgement by result and reason, and the stage meters. */
final class ValidatorMetrics {
    private final MeterRegistry registry;
    private final StageMeters stage;
    private final Map<String, Counter> validations = new ConcurrentHashMap<>();

    ValidatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.stage = new StageMeters(registry, "validator", "validated");
    }

    StageMeters stage() {
        return stage;
    }

    /** Counts a judgement: result accepted, ephemeral, duplicate or rejected; reason the check that refused. */
    void judged(Judgement j) {
        String result = switch (j.outcome()) {
            case ACCEPT_STORED -> "accepted";
            case ACCEPT_EPHEMERAL -> "ephemeral";
            case DUPLICATE -> "duplicate";
            case REJECT -> "rejected";
        };
        String reason = j.reason().isEmpty() ? "none" : j.reason();
        validations.computeIfAbsent(result + '/' + reason, k -> Counter.builder("nostrex.validations")
                .tags(Metrics.role("validator")).tag("result", result).tag("reason", reason)
                .description("Events judged by the validator").register(registry)).increment();
    }
}
