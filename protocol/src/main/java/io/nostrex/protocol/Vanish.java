package io.nostrex.protocol;

import io.nostrex.protocol.auth.AuthEvents;
import java.util.List;
import java.util.Set;

/**
 * NIP-62 request to vanish: a kind-62 event whose {@code relay} tags name this relay, or
 * {@code ALL_RELAYS}, asks it to delete every event of its author up to its created_at, and every
 * gift wrap (kind 1059) {@code p}-tagging the author up to then, and never to take them again.
 */
public final class Vanish {
    public static final int KIND = 62;
    public static final int GIFT_WRAP = 1059;
    public static final String ALL_RELAYS = "ALL_RELAYS";

    private Vanish() {}

    /**
     * Whether the event is a request to vanish from this relay.
     *
     * @param relayUrls this relay's public URLs, {@linkplain AuthEvents#normalize normalized}
     */
    public static boolean isRequestTo(Event e, Set<String> relayUrls) {
        if (e.kind() != KIND) {
            return false;
        }
        for (String relay : e.tagValues("relay")) {
            if (ALL_RELAYS.equals(relay)) {
                return true;
            }
            String url = AuthEvents.normalize(relay);
            if (url != null && relayUrls.contains(url)) {
                return true;
            }
        }
        return false;
    }

    /** The pubkeys a gift wrap is addressed to ({@code p} tags); empty for any other kind. */
    public static List<String> giftWrapRecipients(Event e) {
        return e.kind() == GIFT_WRAP ? e.tagValues("p") : List.of();
    }
}
