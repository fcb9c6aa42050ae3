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

    /** {@link #of(String)} of UTF-8 JSON: the id read in place when it comes first, as EventJson writes it. */
    static String of(byte[] eventUtf8) {
        if (eventUtf8.length >= PREFIX.length() + 64 && startsWithPrefix(eventUtf8)) {
            return new String(eventUtf8, PREFIX.length(), 64, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return of(new String(eventUtf8, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static boolean startsWithPrefix(byte[] utf8) {
        for (int i = 0; i < PREFIX.length(); i++) {
            if (utf8[i] != PREFIX.charAt(i)) {
                return false;
            }
        }
        return true;
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
