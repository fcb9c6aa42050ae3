package io.nostrex.loadtool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** What a flood did to the well-behaved clients and to the relay's memory. */
record FloodResult(long frames, double floodSeconds, Map<String, Long> byShape, long answers, int closedByRelay,
                   int reconnects, long notUtf8Closed1007, long notUtf8Otherwise, Latencies.Summary baseline, Latencies.Summary flood, Latencies.Summary after,
                   int unanswered, OptionalLong rssBefore, OptionalLong rssAfter, OptionalLong rssSettled,
                   OptionalLong heapBefore, OptionalLong heapAfter, OptionalLong heapSettled) {

    /** Every probe REQ got its EOSE. */
    boolean complete() {
        return unanswered == 0 && baseline.count() > 0 && flood.count() > 0;
    }

    double p99Ratio() {
        return baseline.p99() == 0 ? 0 : (double) flood.p99() / baseline.p99();
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  FLOOD       %,d malformed frames in %.1f s (%,.0f/s); %,d answers; the relay closed %,d"
                + " connections (reopened %,d)%n", frames, floodSeconds, frames / Math.max(0.001, floodSeconds), answers,
                closedByRelay, reconnects));
        byShape.forEach((shape, n) -> sb.append(String.format("              %-44s %,d%n", shape, n)));
        sb.append(String.format("  NOT UTF-8   the relay closed %,d of those connections with 1007, %,d otherwise%n",
                notUtf8Closed1007, notUtf8Otherwise));
        sb.append(line("baseline", baseline)).append(line("flood", flood)).append(line("after", after));
        sb.append(String.format("  RATIO       p99 under flood / baseline: %.2f (%s 2x)%n", p99Ratio(),
                p99Ratio() <= 2 ? "within" : "NOT within"));
        sb.append(String.format("  UNANSWERED  %d probe REQs%n", unanswered));
        if (rssBefore.isPresent()) {
            sb.append(String.format("  RELAY RSS   before %s, end of flood %s, after settle %s%n", mib(rssBefore),
                    mib(rssAfter), mib(rssSettled)));
        }
        if (heapBefore.isPresent()) {
            sb.append(String.format("  LIVE HEAP   before %s, end of flood %s, after settle %s%n", mib(heapBefore),
                    mib(heapAfter), mib(heapSettled)));
        }
        return sb.toString();
    }

    private static String line(String phase, Latencies.Summary s) {
        return String.format("  %-11s REQ->EOSE p50 %s  p99 %s  max %s  (%,d REQs)%n", phase.toUpperCase(),
                Latencies.Summary.ms(s.p50()), Latencies.Summary.ms(s.p99()), Latencies.Summary.ms(s.max()), s.count());
    }

    private static String mib(OptionalLong kib) {
        return kib.isPresent() ? String.format("%.0f MiB", kib.getAsLong() / 1024.0) : "?";
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", frames);
        m.put("flood_seconds", floodSeconds);
        m.put("by_shape", byShape);
        m.put("answers", answers);
        m.put("closed_by_relay", closedByRelay);
        m.put("reconnects", reconnects);
        m.put("not_utf8_closed_1007", notUtf8Closed1007);
        m.put("not_utf8_closed_otherwise", notUtf8Otherwise);
        m.put("baseline_p50_us", Latencies.Summary.micros(baseline.p50()));
        m.put("baseline_p99_us", Latencies.Summary.micros(baseline.p99()));
        m.put("flood_p50_us", Latencies.Summary.micros(flood.p50()));
        m.put("flood_p99_us", Latencies.Summary.micros(flood.p99()));
        m.put("after_p99_us", Latencies.Summary.micros(after.p99()));
        m.put("p99_ratio", p99Ratio());
        m.put("unanswered", unanswered);
        rssBefore.ifPresent(v -> m.put("relay_rss_kib_before", v));
        rssAfter.ifPresent(v -> m.put("relay_rss_kib_end_of_flood", v));
        rssSettled.ifPresent(v -> m.put("relay_rss_kib_settled", v));
        heapBefore.ifPresent(v -> m.put("relay_live_heap_kib_before", v));
        heapAfter.ifPresent(v -> m.put("relay_live_heap_kib_end_of_flood", v));
        heapSettled.ifPresent(v -> m.put("relay_live_heap_kib_settled", v));
        return m;
    }
}
