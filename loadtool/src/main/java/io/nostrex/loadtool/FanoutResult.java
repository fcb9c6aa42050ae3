package io.nostrex.loadtool;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a fan-out run got: every subscriber should have every accepted event once. */
record FanoutResult(int subscribers, int connected, int failedConnections, String connectError, int eose,
                    double setupSeconds, int dropped, FanoutRun.Notes notes, PublishResult published, long expected,
                    long delivered, long duplicates, double seconds, Latencies.Summary latency,
                    CpuUse cpu) {

    long missing() {
        return Math.max(0, expected - delivered);
    }

    /** True when all subscribers connected and got EOSE, every EVENT got OK true, and every delivery arrived. */
    boolean complete() {
        return connected == subscribers && eose == subscribers && published.complete()
                && published.accepted() == published.sent() && delivered == expected && missing() == 0;
    }

    double deliveredPerSecond() {
        return seconds > 0 ? delivered / seconds : 0;
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  subscribers %,d of %,d connected, %,d EOSE, in %.1f s%s%n", connected, subscribers,
                eose, setupSeconds, failedConnections == 0 ? "" : "; " + failedConnections + " FAILED (" + connectError + ")"));
        sb.append(String.format("  published   %,d EVENTs: %,d OK true, %,d OK false %s, %,d missing OKs%n",
                published.sent(), published.accepted(), published.rejectedCount(), published.rejected(), published.missing()));
        sb.append("  EVENT->OK   ").append(published.latency().line()).append('\n');
        sb.append(String.format("  delivered   %,d of %,d expected (%,d subscribers x %,d accepted): %,.0f/s over %.2f s%n",
                delivered, expected, connected, published.accepted(), deliveredPerSecond(), seconds));
        sb.append(String.format("  MISSING     %,d%s%s%n", missing(), duplicates == 0 ? "" : ", " + duplicates + " duplicates",
                dropped == 0 ? "" : ", " + dropped + " subscribers disconnected"));
        String notes = this.notes.describe();
        if (!notes.isEmpty()) {
            sb.append("  notes       ").append(notes).append('\n');
        }
        sb.append("  send->recv  ").append(latency.line()).append('\n');
        sb.append(cpu.line());
        return sb.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscribers", subscribers);
        m.put("connected", connected);
        m.put("eose", eose);
        m.put("setup_seconds", setupSeconds);
        m.put("published", published.json());
        m.put("expected", expected);
        m.put("delivered", delivered);
        m.put("missing", missing());
        m.put("duplicates", duplicates);
        m.put("dropped_subscribers", dropped);
        m.put("seconds", seconds);
        m.put("delivered_per_second", Math.round(deliveredPerSecond()));
        m.put("latency_send_to_receive", latency.json());
        m.put("notes", notes.describe());
        m.put("cpu", cpu.json());
        m.put("complete", complete());
        return m;
    }
}
