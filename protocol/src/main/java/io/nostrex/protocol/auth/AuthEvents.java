package io.nostrex.protocol.auth;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.InvalidEventException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;

/**
 * NIP-42: the checks on a client's {@code ["AUTH", <event>]}. The event must be of kind 22242,
 * carry the challenge this connection was given and a {@code relay} tag naming one of the relay's
 * public URLs, be dated within ten minutes of now, and be validly signed. Pure and thread-safe.
 */
public final class AuthEvents {
    public static final int KIND = 22242;
    /** How far created_at may be from now, either way. */
    public static final long MAX_SKEW_SECONDS = 600;

    private final EventVerifier verifier;

    public AuthEvents(EventVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Null when the event authenticates its pubkey on this connection, else the reason for the
     * client, with its NIP-01 prefix.
     *
     * @param relayUrls the relay's public URLs, {@linkplain #normalize normalized}
     */
    public String problem(Event e, String challenge, Collection<String> relayUrls, long nowSeconds) {
        if (e.kind() != KIND) {
            return "invalid: an AUTH event must be of kind " + KIND;
        }
        if (!challenge.equals(e.firstTagValue("challenge"))) {
            return "invalid: the challenge tag does not match the challenge this relay sent on this connection";
        }
        String relay = e.firstTagValue("relay");
        if (relay == null) {
            return "invalid: the AUTH event has no relay tag";
        }
        String normalized = normalize(relay);
        if (normalized == null || !relayUrls.contains(normalized)) {
            return "invalid: the relay tag '" + shorten(relay) + "' is not this relay's URL";
        }
        if (Math.abs(e.createdAt() - nowSeconds) > MAX_SKEW_SECONDS) {
            return "invalid: the AUTH event's created_at is more than " + MAX_SKEW_SECONDS / 60
                    + " minutes from the relay's time";
        }
        try {
            verifier.verify(e);
        } catch (InvalidEventException bad) {
            return bad.getMessage();
        }
        return null;
    }

    /**
     * A relay URL in the form relay tags are compared in: scheme and host in lower case, the
     * scheme's default port dropped, no trailing slash, no query or fragment; null when it is not
     * a ws:// or wss:// URL.
     */
    public static String normalize(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"ws".equals(scheme) && !"wss".equals(scheme) || uri.getHost() == null) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("ws".equals(scheme) && port == 80) || ("wss".equals(scheme) && port == 443);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
