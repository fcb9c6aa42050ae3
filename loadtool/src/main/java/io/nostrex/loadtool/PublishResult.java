package io.nostrex.loadtool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What a publish run got: every EVENT sent is accepted, rejected or missing. */
record PublishResult(int prepared, long sent, long accepted, Map<String, Long> acceptedNotes,
                     Map<String, Long> rejected, long missing, long unknownOks, long repeatedOks,
                     long otherMessages, String otherSample, double sendSeconds, double seconds,
                     Latencies.Summary latency, int connections, int failedConnections, String connectError,
                     boolean exhausted) {

    long rejectedCount() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when every connection opened and every EVENT sent got exactly one OK. */
    boolean complete() {
        return failedConnections == 0 && sent > 0 && missing == 0 && repeatedOks == 0;
    }

    double acceptedPerSecond() {
        return seconds > 0 ? accepted / seconds : 0;
    }

    /** The reason prefix of an OK message ({@code "invalid: bad sig"} is "invalid"). */
    static String prefix(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        int colon = message.indexOf(':');
        return colon > 0 ? message.substring(0, colon).trim() : message.trim();
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  connections %d open%s%n", connections,
                failedConnections == 0 ? "" : ", " + failedConnections + " FAILED (" + connectError + ")"));
        sb.append(String.format("  sent        %,d EVENTs in %.2f s (%,.0f/s) of %,d pre-signed%s%n", sent, sendSeconds,
                sendSeconds > 0 ? sent / sendSeconds : 0, prepared,
                exhausted ? " -- ran out of pre-signed events before --duration, raise --events" : ""));
        sb.append(String.format("  accepted    %,d OK true: %,.0f/s over %.2f s (first EVENT to last OK)%s%n",
                accepted, acceptedPerSecond(), seconds, acceptedNotes.isEmpty() ? "" : ", with " + acceptedNotes));
        sb.append(String.format("  rejected    %,d OK false%s%n", rejectedCount(), rejected.isEmpty() ? "" : ": " + rejected));
        sb.append(String.format("  missing     %,d (no OK before the timeout)%s%n", missing,
                unknownOks + repeatedOks == 0 ? "" : String.format("; %d OKs for unknown ids, %d repeated OKs",
                        unknownOks, repeatedOks)));
        if (otherMessages > 0) {
            sb.append(String.format("  other       %,d other messages, e.g. %s%n", otherMessages, otherSample));
        }
        sb.append("  EVENT->OK   ").append(latency.line()).append('\n');
        return sb.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connections);
        m.put("failed_connections", failedConnections);
        m.put("prepared", prepared);
        m.put("sent", sent);
        m.put("send_seconds", sendSeconds);
        m.put("accepted", accepted);
        m.put("accepted_per_second", Math.round(acceptedPerSecond()));
        m.put("seconds", seconds);
        m.put("accepted_notes", acceptedNotes);
        m.put("rejected", rejected);
        m.put("missing", missing);
        m.put("unknown_oks", unknownOks);
        m.put("repeated_oks", repeatedOks);
        m.put("other_messages", otherMessages);
        m.put("exhausted", exhausted);
        m.put("latency_event_to_ok", latency.json());
        m.put("complete", complete());
        return m;
    }

    /** Counts of the answers, filled from the client threads. */
    static final class Tally {
        private long answered;
        private long accepted;
        private long unknown;
        private long repeated;
        private long other;
        private String otherSample;
        private final Map<String, Long> acceptedNotes = new TreeMap<>();
        private final Map<String, Long> rejected = new TreeMap<>();

        synchronized void ok(boolean ok, String message) {
            answered++;
            if (ok) {
                accepted++;
                if (!message.isEmpty()) {
                    acceptedNotes.merge(prefix(message), 1L, Long::sum);
                }
            } else {
                rejected.merge(prefix(message), 1L, Long::sum);
            }
        }

        synchronized long answered() {
            return answered;
        }

        synchronized void unknown() {
            unknown++;
        }

        synchronized void repeated() {
            repeated++;
        }

        synchronized void other(String sample) {
            other++;
            if (otherSample == null) {
                otherSample = sample;
            }
        }

        synchronized PublishResult result(int prepared, long sent, double sendSeconds, double seconds,
                                          Latencies.Summary latency, RelaySocket.Opened opened, boolean exhausted) {
            return new PublishResult(prepared, sent, accepted, Map.copyOf(acceptedNotes), new TreeMap<>(rejected),
                    sent - answered, unknown, repeated, other, otherSample, sendSeconds, seconds, latency,
                    opened.sockets().size(), opened.failed(), opened.firstError(), exhausted);
        }
    }
}
