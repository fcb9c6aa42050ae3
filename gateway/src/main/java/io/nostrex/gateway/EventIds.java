package io.nostrex.gateway;

/** Reads the id of an event JSON written by EventJson, which always starts {"id":"<64 hex>". */
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
}
