package io.nostrex.loadtool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** What an idle run got: how many connected and held, and the relay's memory per connection. */
record IdleResult(int wanted, int connected, int failed, String connectError, int eose, int otherMessages, String otherSample,
                  double connectSeconds, double readySeconds, int stillOpen, long holdSeconds,
                  OptionalLong relayRssBefore, OptionalLong relayRssConnected, OptionalLong relayRssHeld,
                  OptionalLong clientRss) {

    /** True when every connection opened, got its EOSE and stayed open through the hold. */
    boolean complete() {
        return connected == wanted && eose == wanted && stillOpen == wanted;
    }

    /** Relay RSS growth per connection in KiB, from before connecting to {@code after}; empty without a pid. */
    OptionalLong perConnectionBytes(OptionalLong after) {
        if (relayRssBefore.isEmpty() || after.isEmpty() || connected == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((after.getAsLong() - relayRssBefore.getAsLong()) * 1024 / connected);
    }

    static String kib(OptionalLong bytes) {
        return bytes.isEmpty() ? "n/a" : String.format("%.1f KiB", bytes.getAsLong() / 1024.0);
    }

    static String mib(OptionalLong kib) {
        return kib.isEmpty() ? "n/a" : String.format("%,.1f MiB", kib.getAsLong() / 1024.0);
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  connected   %,d of %,d in %.1f s%s%n", connected, wanted, connectSeconds,
                failed == 0 ? "" : "; " + failed + " FAILED (" + connectError + ")"));
        sb.append(String.format("  REQ         %,d EOSE, all by %.1f s%s%n", eose, readySeconds,
                otherMessages == 0 ? "" : ", " + otherMessages + " other messages, e.g. " + otherSample));
        sb.append(String.format("  held        %,d still open after %d s%n", stillOpen, holdSeconds));
        if (relayRssBefore.isEmpty()) {
            sb.append("  relay RSS   not measured (give --relay-pid PID)\n");
        } else {
            sb.append(String.format("  relay RSS   %s before, %s connected, %s after the hold%n", mib(relayRssBefore),
                    mib(relayRssConnected), mib(relayRssHeld)));
            sb.append(String.format("  per conn    %s once connected, %s after the hold%n",
                    kib(perConnectionBytes(relayRssConnected)), kib(perConnectionBytes(relayRssHeld))));
        }
        sb.append(String.format("  client RSS  %s (this load tool)%n", mib(clientRss)));
        return sb.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wanted", wanted);
        m.put("connected", connected);
        m.put("failed", failed);
        m.put("eose", eose);
        m.put("other_messages", otherMessages);
        m.put("other_sample", otherSample);
        m.put("connect_seconds", connectSeconds);
        m.put("still_open_after_hold", stillOpen);
        m.put("hold_seconds", holdSeconds);
        m.put("relay_rss_kib_before", value(relayRssBefore));
        m.put("relay_rss_kib_connected", value(relayRssConnected));
        m.put("relay_rss_kib_after_hold", value(relayRssHeld));
        m.put("relay_bytes_per_connection", value(perConnectionBytes(relayRssConnected)));
        m.put("relay_bytes_per_connection_after_hold", value(perConnectionBytes(relayRssHeld)));
        m.put("client_rss_kib", value(clientRss));
        m.put("complete", complete());
        return m;
    }

    private static Long value(OptionalLong v) {
        return v.isPresent() ? v.getAsLong() : null;
    }
}
