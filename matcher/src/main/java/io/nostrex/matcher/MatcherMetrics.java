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
 * events matched and the delivery records they made; the recent events kept for new subscriptions,
 * the registrations by what their replay covered, and the events replayed.
 */
public final class MatcherMetrics {
    private static final Tags ROLE = Metrics.role("matcher");
    private static final Duration[] MATCH_BUCKETS = {Duration.ofNanos(10_000), Duration.ofNanos(50_000),
            Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100)};

    final Timer match;
    final Counter events;
    final Counter routed;
    final Counter replayed;
    private final MeterRegistry registry;

    public MatcherMetrics(MeterRegistry registry, SubscriptionIndex index) {
        this.registry = registry;
        Gauge.builder("nostrex.matcher.subscriptions", index, SubscriptionIndex::size).tags(ROLE)
                .description("Subscriptions in this matcher's index").register(registry);
        match = Timer.builder("nostrex.matcher.match").tags(ROLE).serviceLevelObjectives(MATCH_BUCKETS)
                .description("Time to match one stored event against the index").register(registry);
        events = Counter.builder("nostrex.matcher.events").tags(ROLE)
                .description("Stored events matched").register(registry);
        routed = Counter.builder("nostrex.matcher.routed").tags(ROLE)
                .description("Delivery records written, one per gateway with matches (more when targets spill)")
                .register(registry);
        replayed = Counter.builder("nostrex.matcher.replayed").tags(ROLE)
                .description("Recent events sent to subscriptions as they were registered").register(registry);
    }

    /** Meters the recent events kept for replay. */
    void watch(RecentEvents recent) {
        Gauge.builder("nostrex.matcher.recent.events", recent, RecentEvents::size).tags(ROLE)
                .description("Recent events kept for the replay to new subscriptions").register(registry);
        Gauge.builder("nostrex.matcher.recent.chars", recent, RecentEvents::chars).tags(ROLE)
                .description("Characters of JSON of the recent events kept").register(registry);
    }

    /**
     * One registration, by how much of this instance's partitions its replay covered: {@code all},
     * {@code some}, {@code none} (the gateway then runs a catch-up query), or {@code unasked} (no since).
     */
    void registered(String covered) {
        Counter.builder("nostrex.matcher.registrations").tags(ROLE).tag("covered", covered)
                .description("Subscriptions registered, by what their replay covered").register(registry)
                .increment();
    }
}
