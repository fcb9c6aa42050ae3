package io.nostrex.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header {@code nostrex.warmup} = a gateway's id, on the records of an ephemeral event that gateway
 * sent to itself to warm its process up at start (no client can set it: the gateway writes it only
 * for its own warm-up connections). The validator carries it from {@code nostr.ingress} onto
 * {@code nostr.stored}; the matcher routes such an event to that gateway alone, keeps it out of
 * its window of recent events (no later subscription is replayed it), and marks the delivery; the
 * gateway hands a marked delivery to its warm-up connections only. Ephemeral events never reach
 * {@code nostr.events} or PostgreSQL: a warm-up's records stay only in the topics kept an hour.
 * A validator or matcher older than this header neither carries nor honours it: run gateways with
 * {@code NOSTREX_WARMUP_SECONDS=0} until the other roles have this version.
 */
public final class WarmupMark {
    public static final String HEADER = "nostrex.warmup";

    private WarmupMark() {}

    public static void mark(Headers headers, String gatewayId) {
        headers.add(HEADER, gatewayId.getBytes(StandardCharsets.UTF_8));
    }

    /** The gateway that warms up with this event, or null when it is an event like any other. */
    public static String gatewayOf(Headers headers) {
        Header h = headers.lastHeader(HEADER);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
