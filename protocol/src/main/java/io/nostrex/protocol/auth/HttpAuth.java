package io.nostrex.protocol.auth;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;

/**
 * NIP-98 HTTP authorization, as NIP-86 requires it: an {@code Authorization: Nostr <base64 event>}
 * header whose event is of kind 27235, dated within a minute of now, validly signed, with a
 * {@code u} tag naming the relay, a {@code method} tag equal to the request's and a {@code payload}
 * tag holding the SHA-256 (hex) of the request body. Pure and thread-safe.
 */
public final class HttpAuth {
    public static final int KIND = 27235;
    public static final long MAX_SKEW_SECONDS = 60;
    private static final String SCHEME = "Nostr ";

    private final EventVerifier verifier;

    public HttpAuth(EventVerifier verifier) {
        this.verifier = verifier;
    }

    /** Why a request cannot be authorized. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * The pubkey the header authorizes for this request.
     *
     * @param relayUrls the relay's URLs, {@linkplain AuthEvents#normalize normalized}; the {@code u}
     *     tag may name one with http:// or https:// in place of ws:// or wss://
     */
    public String authorize(String header, String method, byte[] body, Collection<String> relayUrls, long nowSeconds)
            throws Refused {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new Refused("an Authorization header 'Nostr <base64 event>' (NIP-98) is required");
        }
        Event e;
        try {
            byte[] json = Base64.getDecoder().decode(header.substring(SCHEME.length()).trim());
            e = EventParser.parse(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | InvalidEventException bad) {
            throw new Refused("the Authorization header holds no readable event: " + bad.getMessage());
        }
        if (e.kind() != KIND) {
            throw new Refused("the authorization event must be of kind " + KIND);
        }
        if (Math.abs(e.createdAt() - nowSeconds) > MAX_SKEW_SECONDS) {
            throw new Refused("the authorization event's created_at is more than " + MAX_SKEW_SECONDS + " s from now");
        }
        String u = e.firstTagValue("u");
        String url = u == null ? null : AuthEvents.normalize(asWebSocket(u));
        if (url == null || !relayUrls.contains(url)) {
            throw new Refused("the u tag does not name this relay");
        }
        if (!method.equalsIgnoreCase(String.valueOf(e.firstTagValue("method")))) {
            throw new Refused("the method tag is not " + method);
        }
        if (!sha256Hex(body).equals(e.firstTagValue("payload"))) {
            throw new Refused("the payload tag is not the SHA-256 of the request body");
        }
        try {
            verifier.verify(e);
        } catch (InvalidEventException bad) {
            throw new Refused(bad.getMessage());
        }
        return e.pubkey();
    }

    /** http(s):// as ws(s)://, so that a u tag may name the relay either way. */
    private static String asWebSocket(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return "wss://" + url.trim().substring(8);
        }
        if (lower.startsWith("http://")) {
            return "ws://" + url.trim().substring(7);
        }
        return url;
    }

    public static String sha256Hex(byte[] body) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
