package io.nostrex.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What a role reports to its operators: its meters and its health. One per process: in dev mode
 * every role shares it, so one {@code /metrics} and one {@code /health} cover them all.
 */
public record Ops(PrometheusMeterRegistry registry, Health health) {
    /** A registry with the JVM and process meters, and an empty health. */
    public static Ops create() {
        return new Ops(Metrics.prometheus(), new Health());
    }
}
