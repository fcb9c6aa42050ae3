package io.nostrex.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * NIP-62: header {@code nostrex.vanish} on the ingress record of a request to vanish whose
 * {@code relay} tag named the URL the client reached this relay at (the gateway knows it: a public
 * URL, or the connection's Host). The validator keeps it on {@code nostr.events}, so the archivers,
 * and a replay of the log, apply the request exactly when the live relay did, whatever their own
 * settings.
 */
public final class VanishMark {
    public static final String HEADER = "nostrex.vanish";

    private VanishMark() {}

    public static void mark(Headers headers) {
        headers.add(HEADER, "here".getBytes(StandardCharsets.UTF_8));
    }

    public static boolean isMarked(Headers headers) {
        return headers.lastHeader(HEADER) != null;
    }
}
