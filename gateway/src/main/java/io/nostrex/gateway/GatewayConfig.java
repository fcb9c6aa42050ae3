package io.nostrex.gateway;

import io.nostrex.protocol.auth.AuthEvents;
import io.nostrex.protocol.auth.ReadAccess;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of one gateway. {@code gatewayId} names this instance on the gateway-keyed topics; it is
 * new at every start, so a restarted gateway never inherits a dead one's subscriptions.
 * {@code warmupSeconds}: how long its {@link Warmup} publishes at start, before it is ready (0: none).
 */
public record GatewayConfig(String host, int port, String gatewayId, Limits limits, Access access, Hygiene hygiene,
                            RelayInfo info, Map<String, Object> kafka, int queryThreads, int warmupSeconds) {

    public GatewayConfig {
        kafka = Map.copyOf(kafka);
    }

    /** The limits a gateway enforces and advertises in its NIP-11 document. */
    public record Limits(int maxMessageLength, int maxSubscriptions, int maxFilters, int maxSubidLength,
                         int maxLimit, long maxOutboundBytes, long verdictTimeoutMillis, long ackTimeoutMillis,
                         int maxNegentropyRecords, int maxCountRows, int maxPendingOks) {
        public static Limits defaults() {
            return new Limits(512 * 1024, 50, 10, 64, 500, 4L * 1024 * 1024, 30_000, 5_000, 100_000, 100_000, 1_000);
        }
    }

    /**
     * NIP-42 and who reads what. {@code publicUrls}: the URLs clients reach the relay at, which an
     * AUTH event's {@code relay} tag must name; when empty, the {@code ws://} and {@code wss://} URL
     * of the Host header the client connected with. {@code privateKinds}: served only to their
     * author and {@code p}-tagged recipients. {@code authRequired} and {@code restrictedWrites} are
     * enforced by the validator and advertised here. {@code adminPubkeys}: who may use the NIP-86
     * management API (none: nobody).
     */
    public record Access(List<String> publicUrls, Set<Integer> privateKinds, boolean authRequired,
                         boolean restrictedWrites, Set<String> adminPubkeys) {
        public Access {
            for (String url : publicUrls) {
                if (AuthEvents.normalize(url) == null) {
                    throw new IllegalArgumentException("not a ws:// or wss:// URL: '" + url + "'");
                }
            }
            publicUrls = List.copyOf(publicUrls);
            privateKinds = Set.copyOf(privateKinds);
            adminPubkeys = Set.copyOf(adminPubkeys);
        }

        public static Access defaults() {
            return new Access(List.of(), ReadAccess.DEFAULT_PRIVATE_KINDS, false, false, Set.of());
        }

        /** {@code publicUrls}, normalized. */
        public Set<String> publicRelayUrls() {
            Set<String> urls = new HashSet<>();
            publicUrls.forEach(u -> urls.add(AuthEvents.normalize(u)));
            return urls;
        }

        /** The URLs a connection made with this Host header may authenticate for, normalized. */
        Set<String> relayUrls(String hostHeader) {
            Set<String> urls = new HashSet<>();
            if (publicUrls.isEmpty()) {
                if (hostHeader != null && !hostHeader.isBlank()) {
                    for (String scheme : List.of("ws://", "wss://")) {
                        String url = AuthEvents.normalize(scheme + hostHeader.trim());
                        if (url != null) {
                            urls.add(url);
                        }
                    }
                }
            } else {
                urls.addAll(publicRelayUrls());
            }
            return urls;
        }
    }

    /**
     * Connection hygiene and per-address limits. {@code maxConnections}: open WebSockets on this
     * gateway; {@code maxConnectionsPerIp} and {@code maxMessagesPerIpPerSecond}: per client address
     * for the whole cluster, each gateway enforcing {@code 1/gateways} of them (0: no limit);
     * {@code idleTimeoutSeconds}: a connection that sends nothing, not even a pong to the relay's
     * pings, for this long is closed; {@code clientIpHeader}: a header a trusted proxy sets to the
     * client's address (its last comma-separated value is taken), or null to use the TCP peer;
     * {@code maxInvalidPerSecond}: invalid messages a client address may send each gateway per second
     * (twice that in a burst; ten times that from all addresses together) before the gateway stops
     * reading the connection that sent one for about {@link Connection#INVALID_PAUSE_MILLIS} ms, longer when it
     * is over again as soon as it is read (0: no limit).
     */
    public record Hygiene(int maxConnections, int maxConnectionsPerIp, int maxMessagesPerIpPerSecond, int gateways,
                          int idleTimeoutSeconds, String clientIpHeader, int maxInvalidPerSecond) {
        public static Hygiene defaults() {
            return new Hygiene(20_000, 2_000, 0, 1, 120, null, 20);
        }
    }

    public static String newGatewayId() {
        byte[] random = new byte[6];
        new java.security.SecureRandom().nextBytes(random);
        return "gw-" + io.nostrex.protocol.Hex.encode(random);
    }
}
