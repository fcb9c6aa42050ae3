package io.nostrex.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Json;

/**
 * One entry of the relay's moderation policy (NIP-86), a record of the compacted topic
 * {@code nostr.policy}: key {@code <kind>:<subject>}, value {@code {"reason":..,"by":..,"at":..}} with
 * the admin's pubkey and the time; a tombstone (null value) lifts it. For the relay's name,
 * description and icon the subject is empty and the value holds {@code "value"}.
 */
public record PolicyRecord(Kind kind, String subject, String value, String reason, String by, long atMillis) {

    /** What an entry says; the key prefix is the lower-case name with dashes. */
    public enum Kind {
        BAN_PUBKEY, ALLOW_PUBKEY, BAN_EVENT, BLOCK_IP, RELAY_NAME, RELAY_DESCRIPTION, RELAY_ICON;

        public String prefix() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        static Kind ofPrefix(String prefix) {
            for (Kind k : values()) {
                if (k.prefix().equals(prefix)) {
                    return k;
                }
            }
            return null;
        }
    }

    public static String key(Kind kind, String subject) {
        return kind.prefix() + ":" + subject;
    }

    public String key() {
        return key(kind, subject);
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder(96).append('{');
        if (value != null) {
            EventJson.string(sb.append("\"value\":"), value);
            sb.append(',');
        }
        if (reason != null) {
            EventJson.string(sb.append("\"reason\":"), reason);
            sb.append(',');
        }
        EventJson.string(sb.append("\"by\":"), by);
        return sb.append(",\"at\":").append(atMillis).append('}').toString();
    }

    /** The entry of a record, or null when its key names no kind this version knows (left alone). */
    public static PolicyRecord read(String key, String json) throws ContractException {
        int colon = key == null ? -1 : key.indexOf(':');
        Kind kind = colon < 0 ? null : Kind.ofPrefix(key.substring(0, colon));
        if (kind == null) {
            return null;
        }
        String subject = key.substring(colon + 1);
        if (json == null) {
            return new PolicyRecord(kind, subject, null, null, null, 0);
        }
        try {
            JsonNode n = Json.read(json);
            return new PolicyRecord(kind, subject, text(n, "value"), text(n, "reason"), text(n, "by"), n.path("at").asLong());
        } catch (Json.MalformedJsonException e) {
            throw new ContractException("malformed policy record " + key + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
