package io.nostrex.archiver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.nostrex.ops.Metrics;
import io.nostrex.ops.StageMeters;
import io.nostrex.protocol.Event;
import io.nostrex.store.StoreOutcome;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The archiver's meters: what the store did with each event (by outcome and kind class), events
 * stored by kind under strfry's name {@code nostr_events_total{kind}} (the kinds clients use most
 * have their own label value, every other kind counts as "other"), the PostgreSQL transaction time,
 * write retries, and the stage meters.
 */
final class ArchiverMetrics {
    /** Kinds with a label of their own; bounded, so a flood of odd kinds cannot grow the series. */
    static final Set<Integer> NAMED_KINDS = Set.of(0, 1, 3, 4, 5, 6, 7, 8, 16, 40, 41, 42, 1059, 1063, 1984, 9734,
            9735, 9802, 10000, 10001, 10002, 10050, 13194, 30000, 30001, 30008, 30009, 30023, 30078, 30311, 31922,
            31923, 31989, 31990);
    private static final Tags ROLE = Metrics.role("archiver");

    private final MeterRegistry registry;
    private final StageMeters stage;
    private final Timer transaction;
    private final Counter retries;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ArchiverMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.stage = new StageMeters(registry, "archiver", "stored");
        this.transaction = Timer.builder("nostrex.db.transaction").tags(ROLE)
                .serviceLevelObjectives(Metrics.latencyBuckets())
                .description("One batch written to PostgreSQL in one transaction").register(registry);
        this.retries = Counter.builder("nostrex.db.retries").tags(ROLE)
                .description("Batches whose write to PostgreSQL failed and was tried again").register(registry);
    }

    StageMeters stage() {
        return stage;
    }

    Timer transaction() {
        return transaction;
    }

    void retried() {
        retries.increment();
    }

    /** What the store did with one event. */
    void outcome(Event event, StoreOutcome outcome) {
        String kindClass = event.kindClass().name().toLowerCase(Locale.ROOT);
        String result = outcome.name().toLowerCase(Locale.ROOT);
        counter("nostrex.store.outcomes", "outcome", result, "kind_class", kindClass,
                "What the archiver's store did with each event").increment();
        if (outcome == StoreOutcome.STORED) {
            counter("nostr.events", "kind", kindLabel(event.kind()), "kind_class", kindClass,
                    "Events stored, by kind").increment();
        }
    }

    static String kindLabel(int kind) {
        return NAMED_KINDS.contains(kind) ? Integer.toString(kind) : "other";
    }

    private Counter counter(String name, String k1, String v1, String k2, String v2, String description) {
        return counters.computeIfAbsent(name + '/' + v1 + '/' + v2, k -> Counter.builder(name).tags(ROLE)
                .tag(k1, v1).tag(k2, v2).description(description).register(registry));
    }
}
