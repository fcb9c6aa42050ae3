package io.nostrex.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where an event came from: the gateway instance, the connection on it, when it was received and
 * from which client address. Travels as record headers on ingress and events, so the value stays
 * the event JSON itself. A replayed or imported event has no origin.
 *
 * <p>The client address is personal data: it goes on {@code nostr.ingress} (kept an hour) and
 * never on {@code nostr.events}, which is kept forever; the validator writes the origin there
 * {@link #withoutAddress() without it}.
 *
 * <p>{@code authenticated} holds the pubkeys the connection had authenticated as (NIP-42) when it
 * sent the event, as the validator needs them for NIP-70 and the write restrictions; it too stays
 * on ingress only.
 */
public record Origin(String gateway, long connection, long receivedMillis, String clientAddress,
                     java.util.Set<String> authenticated) {
    public static final String GATEWAY = "nostrex.gateway";
    public static final String CONNECTION = "nostrex.connection";
    public static final String RECEIVED = "nostrex.received";
    public static final String ADDRESS = "nostrex.address";
    public static final String AUTH = "nostrex.auth";

    public Origin {
        authenticated = authenticated == null ? java.util.Set.of() : java.util.Set.copyOf(authenticated);
    }

    /** An origin whose connection has not authenticated. */
    public Origin(String gateway, long connection, long receivedMillis, String clientAddress) {
        this(gateway, connection, receivedMillis, clientAddress, java.util.Set.of());
    }

    /** Writes the origin as headers; no address header when there is no address. */
    public void writeTo(Headers headers) {
        headers.add(GATEWAY, bytes(gateway));
        headers.add(CONNECTION, bytes(Long.toString(connection)));
        headers.add(RECEIVED, bytes(Long.toString(receivedMillis)));
        if (clientAddress != null) {
            headers.add(ADDRESS, bytes(clientAddress));
        }
        if (!authenticated.isEmpty()) {
            headers.add(AUTH, bytes(String.join(",", new java.util.TreeSet<>(authenticated))));
        }
    }

    /** The same origin without the client address and authentication, for records that outlive ingress. */
    public Origin withoutAddress() {
        return new Origin(gateway, connection, receivedMillis, null, java.util.Set.of());
    }

    /** The origin in these headers, or null when there is none or it is malformed. */
    public static Origin readFrom(Headers headers) {
        String gateway = text(headers.lastHeader(GATEWAY));
        String connection = text(headers.lastHeader(CONNECTION));
        if (gateway == null || connection == null) {
            return null;
        }
        try {
            String received = text(headers.lastHeader(RECEIVED));
            String auth = text(headers.lastHeader(AUTH));
            return new Origin(gateway, Long.parseLong(connection),
                    received == null ? 0 : Long.parseLong(received), text(headers.lastHeader(ADDRESS)),
                    auth == null || auth.isEmpty() ? java.util.Set.of() : java.util.Set.of(auth.split(",")));
        } catch (NumberFormatException malformed) {
            return null;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Header h) {
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
