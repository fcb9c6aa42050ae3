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
 *
 * <p>{@code since} (field {@code "since"}, epoch milliseconds, 0 or absent for none) asks the matcher
 * to also deliver the matching ephemeral events it handled from that time on, before the
 * subscription reached its index: a gateway registers a REQ only after its history is sent, and
 * ephemeral events are never stored, so no catch-up query could find them.
 */
public record SubscriptionRecord(String gateway, long connection, String subscriptionId, long version,
                                 List<Filter> filters, long since) {

    public SubscriptionRecord {
        filters = List.copyOf(filters);
    }

    /** A subscription that asks for no replay of ephemeral events. */
    public SubscriptionRecord(String gateway, long connection, String subscriptionId, long version,
                              List<Filter> filters) {
        this(gateway, connection, subscriptionId, version, filters, 0);
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
        if (since > 0) {
            sb.append(",\"since\":").append(since);
        }
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
                    n.path("v").asLong(), filters, Math.max(0, n.path("since").asLong(0)));
        } catch (Json.MalformedJsonException | FilterParser.InvalidFilterException e) {
            throw new ContractException("malformed subscription: " + e.getMessage());
        }
    }
}
