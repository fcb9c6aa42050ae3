package io.nostrex.matcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.nostrex.ops.Metrics;
import java.time.Duration;

/**
 * The matcher's meters: subscriptions in the index, the time to match one event against it, the
 * events matched and the delivery records they made.
 */
public final class MatcherMetrics {
    private static final Tags ROLE = Metrics.role("matcher");
    private static final Duration[] MATCH_BUCKETS = {Duration.ofNanos(10_000), Duration.ofNanos(50_000),
            Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100)};

    final Timer match;
    final Counter events;
    final Counter routed;

    public MatcherMetrics(MeterRegistry registry, SubscriptionIndex index) {
        Gauge.builder("nostrex.matcher.subscriptions", index, SubscriptionIndex::size).tags(ROLE)
                .description("Subscriptions in this matcher's index").register(registry);
        match = Timer.builder("nostrex.matcher.match").tags(ROLE).serviceLevelObjectives(MATCH_BUCKETS)
                .description("Time to match one stored event against the index").register(registry);
        events = Counter.builder("nostrex.matcher.events").tags(ROLE)
                .description("Stored events matched").register(registry);
        routed = Counter.builder("nostrex.matcher.routed").tags(ROLE)
                .description("Delivery records written, one per gateway with matches (more when targets spill)")
                .register(registry);
    }
}
