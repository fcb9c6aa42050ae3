package io.nostrex.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterJson;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A live subscription on the compacted subscriptions topic. Key {@code gateway/connection/subId}
 * (see {@link #key}); value {@code {"gw":..,"conn":..,"sub":..,"v":..,"filters":[...]}}; a null
 * value (tombstone) ends it. {@code version} tells one REQ from the next REQ that replaces it under
 * the same id. A gateway's heartbeat is a record under the bare key {@code gateway}:
 * {@code {"gw":..,"heartbeat":millis}}; the matcher drops the subscriptions of a gateway whose
 * heartbeat stops.
 */
public record SubscriptionRecord(String gateway, long connection, String subscriptionId, long version,
                                 List<Filter> filters) {

    public SubscriptionRecord {
        filters = List.copyOf(filters);
    }

    public static String key(String gateway, long connection, String subscriptionId) {
        return gateway + "/" + connection + "/" + subscriptionId;
    }

    public String key() {
        return key(gateway, connection, subscriptionId);
    }

    /** The gateway named by a subscription or heartbeat key (gateway ids never contain '/'). */
    public static String gatewayOfKey(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    public static boolean isHeartbeatKey(String key) {
        return key.indexOf('/') < 0;
    }

    public static String heartbeatJson(String gateway, long millis) {
        StringBuilder sb = new StringBuilder(64).append("{\"gw\":");
        EventJson.string(sb, gateway);
        return sb.append(",\"heartbeat\":").append(millis).append('}').toString();
    }

    public static long heartbeatMillis(String json) throws ContractException {
        try {
            return Json.read(json).path("heartbeat").asLong();
        } catch (Json.MalformedJsonException e) {
            throw new ContractException("malformed heartbeat: " + e.getMessage());
        }
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder(128).append("{\"gw\":");
        EventJson.string(sb, gateway);
        sb.append(",\"conn\":").append(connection).append(",\"sub\":");
        EventJson.string(sb, subscriptionId);
        sb.append(",\"v\":").append(version).append(",\"filters\":").append(FilterJson.writeAll(filters));
        return sb.append('}').toString();
    }

    public static SubscriptionRecord fromJson(String json) throws ContractException {
        try {
            JsonNode n = Json.read(json);
            List<Filter> filters = new ArrayList<>();
            for (JsonNode f : n.path("filters")) {
                filters.add(FilterParser.parse(f));
            }
            return new SubscriptionRecord(n.path("gw").asText(), n.path("conn").asLong(), n.path("sub").asText(),
                    n.path("v").asLong(), filters);
        } catch (Json.MalformedJsonException | FilterParser.InvalidFilterException e) {
            throw new ContractException("malformed subscription: " + e.getMessage());
        }
    }
}
