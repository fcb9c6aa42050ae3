package io.nostrex.gateway;

import io.nostrex.protocol.EventJson;
import java.util.List;

/** The NIP-11 relay information document, written from the limits really enforced. */
public record RelayInfo(String name, String description, String pubkey, String contact, String version, String icon) {
    /** NIPs this relay implements end to end; nothing is listed that is not. */
    public static final List<Integer> SUPPORTED_NIPS = List.of(1, 2, 4, 9, 11, 13, 28, 40, 42, 45, 50, 62, 65, 70, 77, 86);
    /** Where the software lives (NIP-11 {@code software} is a URL). */
    public static final String SOFTWARE = "https://github.com/nostrex/nostrex";

    public static RelayInfo defaults(String version) {
        return new RelayInfo("Nostrex", "A Nostr relay on Kafka and PostgreSQL", null, null, version, null);
    }

    public String toJson(GatewayConfig.Limits limits, GatewayConfig.Access access, int maxContentLength, int maxTags,
                         int minPow, long maxFutureSeconds, long maxAgeSeconds) {
        StringBuilder sb = new StringBuilder(512).append('{');
        field(sb, "name", name);
        field(sb, "description", description);
        field(sb, "pubkey", pubkey);
        field(sb, "contact", contact);
        field(sb, "icon", icon);
        sb.append("\"supported_nips\":").append(SUPPORTED_NIPS.toString().replace(" ", "")).append(',');
        field(sb, "software", SOFTWARE);
        field(sb, "version", version);
        sb.append("\"limitation\":{")
                .append("\"max_message_length\":").append(limits.maxMessageLength())
                .append(",\"max_subscriptions\":").append(limits.maxSubscriptions())
                .append(",\"max_filters\":").append(limits.maxFilters())
                .append(",\"max_subid_length\":").append(limits.maxSubidLength())
                .append(",\"max_limit\":").append(limits.maxLimit())
                .append(",\"default_limit\":").append(limits.maxLimit())
                .append(",\"max_event_tags\":").append(maxTags)
                .append(",\"max_content_length\":").append(maxContentLength)
                .append(",\"min_pow_difficulty\":").append(minPow)
                .append(",\"max_negentropy_records\":").append(limits.maxNegentropyRecords())
                .append(",\"created_at_upper_limit\":").append(maxFutureSeconds)
                .append(maxAgeSeconds > 0 ? ",\"created_at_lower_limit\":" + maxAgeSeconds : "")
                .append(",\"auth_required\":").append(access.authRequired())
                .append(",\"payment_required\":false")
                .append(",\"restricted_writes\":").append(access.restrictedWrites()).append('}');
        return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append('"').append(key).append("\":");
            EventJson.string(sb, value);
            sb.append(',');
        }
    }
}
