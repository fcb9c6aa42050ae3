package io.nostrex.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Json;

/**
 * The answer to one EVENT, for the gateway that received it (key: gateway instance):
 * {@code {"conn":7,"id":"<event id>","ok":true,"msg":"duplicate: ..."}}. Written by the validator
 * for rejected, duplicate and ephemeral events, and by the archiver once a stored kind is durable.
 */
public record Verdict(long connection, String eventId, boolean accepted, String message) {

    public String toJson() {
        StringBuilder sb = new StringBuilder(128).append("{\"conn\":").append(connection).append(",\"id\":");
        EventJson.string(sb, eventId);
        sb.append(",\"ok\":").append(accepted).append(",\"msg\":");
        EventJson.string(sb, message);
        return sb.append('}').toString();
    }

    public static Verdict fromJson(String json) throws ContractException {
        try {
            JsonNode n = Json.read(json);
            return new Verdict(n.path("conn").asLong(), n.path("id").asText(), n.path("ok").asBoolean(),
                    n.path("msg").asText());
        } catch (Json.MalformedJsonException e) {
            throw new ContractException("malformed verdict: " + e.getMessage());
        }
    }
}
