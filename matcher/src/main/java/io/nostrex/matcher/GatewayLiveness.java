package io.nostrex.matcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each gateway was last heard of, by the matcher's own clock (gateway clocks may drift). A
 * heartbeat or a registration refreshes it ({@link #heartbeat}), so a gateway that registers its
 * subscriptions again after being cut off is not swept a moment later for its silence before; one
 * that subscribes and then goes silent is dropped too. Gateways restored from the store at start
 * only start their clock ({@link #seen}). Shared by the global thread and the sweep.
 */
final class GatewayLiveness {
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

    void heartbeat(String gateway, long nowMillis) {
        lastSeen.merge(gateway, nowMillis, Math::max);
    }

    void seen(String gateway, long nowMillis) {
        lastSeen.putIfAbsent(gateway, nowMillis);
    }

    /** Removes and returns the gateways not heard of for more than {@code timeoutMillis}. */
    List<String> expire(long nowMillis, long timeoutMillis) {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
            if (nowMillis - e.getValue() > timeoutMillis && lastSeen.remove(e.getKey(), e.getValue())) {
                expired.add(e.getKey());
            }
        }
        return expired;
    }
}
