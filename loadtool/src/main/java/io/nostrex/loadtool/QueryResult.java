package io.nostrex.loadtool;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a query run got: queries answered by EOSE, refused by CLOSED, or unanswered. */
record QueryResult(int connections, int failedConnections, String connectError, double seconds,
                   Latencies.Summary latency, Map<String, TypeFigures> byType, Map<String, Long> refused,
                   int unanswered, long strayEvents, long otherMessages) {

    /** Latency and events returned for one filter type. */
    record TypeFigures(Latencies.Summary latency, long events) {}

    long queries() {
        return latency.count();
    }

    long events() {
        return byType.values().stream().mapToLong(TypeFigures::events).sum();
    }

    long refusedCount() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when every connection opened, queries ran, and each got its EOSE. */
    boolean complete() {
        return failedConnections == 0 && queries() > 0 && unanswered == 0 && refused.isEmpty();
    }

    double perSecond(long count) {
        return seconds > 0 ? count / seconds : 0;
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  connections %d open%s%n", connections,
                failedConnections == 0 ? "" : ", " + failedConnections + " FAILED (" + connectError + ")"));
        sb.append(String.format("  queries     %,d answered by EOSE in %.2f s: %,.0f queries/s%n", queries(), seconds,
                perSecond(queries())));
        sb.append(String.format("  events      %,d returned: %,.0f events/s, %.1f per query%n", events(),
                perSecond(events()), queries() == 0 ? 0.0 : (double) events() / queries()));
        sb.append(String.format("  refused     %,d CLOSED %s, unanswered %d%s%n", refusedCount(), refused.isEmpty() ? "" : refused,
                unanswered, strayEvents + otherMessages == 0 ? ""
                        : String.format(", %d events after CLOSE, %d other messages", strayEvents, otherMessages)));
        sb.append("  REQ->EOSE   ").append(latency.line()).append('\n');
        byType.forEach((type, t) -> {
            sb.append(String.format("    %-8s  %,9d queries, %5.1f events each, p50 %s  p99 %s%n", type, t.latency().count(),
                    t.latency().count() == 0 ? 0.0 : (double) t.events() / t.latency().count(),
                    Latencies.Summary.ms(t.latency().p50()), Latencies.Summary.ms(t.latency().p99())));
        });
        return sb.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connections);
        m.put("failed_connections", failedConnections);
        m.put("seconds", seconds);
        m.put("queries", queries());
        m.put("queries_per_second", Math.round(perSecond(queries())));
        m.put("events", events());
        m.put("events_per_second", Math.round(perSecond(events())));
        m.put("refused", refused);
        m.put("unanswered", unanswered);
        m.put("latency_req_to_eose", latency.json());
        Map<String, Object> types = new LinkedHashMap<>();
        byType.forEach((type, f) -> types.put(type, Map.of("latency", f.latency().json(), "events", f.events())));
        m.put("by_filter", types);
        m.put("complete", complete());
        return m;
    }
}
