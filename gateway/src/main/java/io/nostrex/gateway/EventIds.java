package io.nostrex.gateway;

/**
 * Reads the id and kind of an event JSON written by EventJson, which always starts
 * {@code {"id":"<64 hex>","pubkey":"<64 hex>","created_at":<n>,"kind":<n>,}: nothing before the
 * kind can hold its name, so its first occurrence is the field. Other JSON is parsed.
 */
final class EventIds {
    private static final String PREFIX = "{\"id\":\"";

    private EventIds() {}

    static String of(String eventJson) {
        if (eventJson.startsWith(PREFIX) && eventJson.length() >= PREFIX.length() + 64) {
            return eventJson.substring(PREFIX.length(), PREFIX.length() + 64);
        }
        try {
            return io.nostrex.protocol.Json.read(eventJson).path("id").asText();
        } catch (io.nostrex.protocol.Json.MalformedJsonException e) {
            return "";
        }
    }

    private static final String KIND = ",\"kind\":";

    static int kind(String eventJson) {
        int at = eventJson.startsWith(PREFIX) ? eventJson.indexOf(KIND) : -1;
        if (at > 0) {
            int value = 0;
            int digits = 0;
            for (int i = at + KIND.length(); i < eventJson.length() && digits < 10; i++, digits++) {
                char ch = eventJson.charAt(i);
                if (ch < '0' || ch > '9') {
                    break;
                }
                value = value * 10 + (ch - '0');
            }
            if (digits > 0) {
                return value;
            }
        }
        try {
            return io.nostrex.protocol.Json.read(eventJson).path("kind").asInt(-1);
        } catch (io.nostrex.protocol.Json.MalformedJsonException e) {
            return -1;
        }
    }
}
