package io.nostrex.gateway;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per client address on this gateway: open connections and a message allowance (Bucket4j token
 * bucket). The limits hold across a cluster by share: each gateway enforces
 * {@code limit / gateways} (rounded up), so a client spread over every gateway gets the limit in
 * all, and one on a single gateway a share of it. An address is forgotten with its last connection.
 */
final class ClientAddresses {
    private final int connectionsPerAddress;
    private final int messagesPerSecond;
    private final ConcurrentHashMap<String, State> byAddress = new ConcurrentHashMap<>();

    private static final class State {
        int connections;
        final Bucket messages;

        State(Bucket messages) {
            this.messages = messages;
        }
    }

    /** The limits of this gateway's share; 0: none. */
    ClientAddresses(GatewayConfig.Hygiene hygiene) {
        int gateways = Math.max(1, hygiene.gateways());
        this.connectionsPerAddress = share(hygiene.maxConnectionsPerIp(), gateways);
        this.messagesPerSecond = share(hygiene.maxMessagesPerIpPerSecond(), gateways);
    }

    private static int share(int limit, int gateways) {
        return limit <= 0 ? 0 : Math.max(1, (limit + gateways - 1) / gateways);
    }

    int connectionsPerAddress() {
        return connectionsPerAddress;
    }

    int messagesPerSecond() {
        return messagesPerSecond;
    }

    /** Whether another connection from the address is within its share. */
    synchronized boolean mayConnect(String address) {
        State s = byAddress.get(address);
        return connectionsPerAddress <= 0 || s == null || s.connections < connectionsPerAddress;
    }

    synchronized void connected(String address) {
        byAddress.computeIfAbsent(address, a -> new State(messagesPerSecond <= 0 ? null : Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(messagesPerSecond)
                        .refillGreedy(messagesPerSecond, Duration.ofSeconds(1)).build()).build())).connections++;
    }

    synchronized void disconnected(String address) {
        State s = byAddress.get(address);
        if (s != null && --s.connections <= 0) {
            byAddress.remove(address);
        }
    }

    /** Whether the address may send one more message now. */
    boolean tryMessage(String address) {
        if (messagesPerSecond <= 0) {
            return true;
        }
        State s = byAddress.get(address);
        return s == null || s.messages.tryConsume(1);
    }

    int addresses() {
        return byAddress.size();
    }
}
