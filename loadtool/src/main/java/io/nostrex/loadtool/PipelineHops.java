package io.nostrex.loadtool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where accepted events spent their time inside the relay, from the times the pipeline itself
 * records: when the gateway received the event (the {@code nostrex.received} header on
 * {@code nostr.ingress}) and when each stage produced its record (the record timestamps of
 * {@code nostr.ingress}, {@code nostr.events} and {@code nostr.stored}). Deliveries carry the
 * timestamp of their {@code nostr.stored} record (Kafka Streams forwards it), so the matcher's own
 * time is not visible here. Clocks of different machines add their skew to a hop.
 */
final class PipelineHops {
    /** Per event id, the time each stage handled it, in epoch milliseconds. */
    record Times(Map<String, Long> received, Map<String, Long> ingress, Map<String, Long> events,
                 Map<String, Long> stored) {}

    private PipelineHops() {}

    /**
     * The hops of every event received by a gateway (only those in {@code only}, when not null), as
     * latency summaries by hop name, in pipeline order. An event missing a later stage (rejected,
     * ephemeral, or not that far yet) counts only in the hops it made.
     */
    static Map<String, Latencies.Summary> of(Times t, Set<String> only) {
        Latencies toIngress = new Latencies();
        Latencies toEvents = new Latencies();
        Latencies toStored = new Latencies();
        Latencies receiveToStored = new Latencies();
        t.received().forEach((id, received) -> {
            if (only != null && !only.contains(id)) {
                return;
            }
            Long ingress = t.ingress().get(id);
            Long events = t.events().get(id);
            Long stored = t.stored().get(id);
            add(toIngress, received, ingress);
            add(toEvents, ingress, events);
            add(toStored, events, stored);
            add(receiveToStored, received, stored);
        });
        Map<String, Latencies.Summary> out = new LinkedHashMap<>();
        out.put("receive->ingress", toIngress.summary());
        out.put("ingress->events", toEvents.summary());
        out.put("events->stored", toStored.summary());
        out.put("receive->stored", receiveToStored.summary());
        return out;
    }

    private static void add(Latencies hop, Long fromMillis, Long toMillis) {
        if (fromMillis != null && toMillis != null) {
            hop.add((toMillis - fromMillis) * 1_000_000L);
        }
    }
}
