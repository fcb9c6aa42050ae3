package io.nostrex.gateway;

import java.util.Map;

/**
 * Settings of one gateway. {@code gatewayId} names this instance on the gateway-keyed topics; it is
 * new at every start, so a restarted gateway never inherits a dead one's subscriptions.
 */
public record GatewayConfig(String host, int port, String gatewayId, Limits limits, RelayInfo info,
                            Map<String, Object> kafka, int queryThreads) {

    public GatewayConfig {
        kafka = Map.copyOf(kafka);
    }

    /** The limits a gateway enforces and advertises in its NIP-11 document. */
    public record Limits(int maxMessageLength, int maxSubscriptions, int maxFilters, int maxSubidLength,
                         int maxLimit, long maxOutboundBytes, long verdictTimeoutMillis, long ackTimeoutMillis,
                         int maxNegentropyRecords) {
        public static Limits defaults() {
            return new Limits(512 * 1024, 50, 10, 64, 500, 4L * 1024 * 1024, 30_000, 5_000, 100_000);
        }
    }

    public static String newGatewayId() {
        byte[] random = new byte[6];
        new java.security.SecureRandom().nextBytes(random);
        return "gw-" + io.nostrex.protocol.Hex.encode(random);
    }
}
