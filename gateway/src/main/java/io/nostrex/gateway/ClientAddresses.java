package io.nostrex.gateway;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per client address on this gateway: open connections, a message allowance and an allowance of
 * invalid messages (Bucket4j token buckets; see {@link Connection#invalid()}). The limits hold across a cluster by share: each gateway enforces
 * {@code limit / gateways} (rounded up), so a client spread over every gateway gets the limit in
 * all, and one on a single gateway a share of it; the invalid-message allowances are each gateway's
 * own. An address is forgotten with its last connection, unless it still owes invalid messages: then
 * when its allowance is whole again ({@link #forgetRested}), so that reconnecting does not refill it.
 */
final class ClientAddresses {
    private final int connectionsPerAddress;
    private final int messagesPerSecond;
    private final int invalidPerSecond;
    private final long invalidBurst;
    /** The invalid messages all addresses together may send this gateway: {@value #GATEWAY_INVALID_FACTOR} addresses' worth. */
    private final Bucket invalidOnThisGateway;
    private final ConcurrentHashMap<String, State> byAddress = new ConcurrentHashMap<>();

    private static final class State {
        int connections;
        final Bucket messages;
        final InvalidAllowance invalid;

        State(Bucket messages, InvalidAllowance invalid) {
            this.messages = messages;
            this.invalid = invalid;
        }
    }

    /** The limits of this gateway's share; 0: none. */
    ClientAddresses(GatewayConfig.Hygiene hygiene) {
        int gateways = Math.max(1, hygiene.gateways());
        this.connectionsPerAddress = share(hygiene.maxConnectionsPerIp(), gateways);
        this.messagesPerSecond = share(hygiene.maxMessagesPerIpPerSecond(), gateways);
        this.invalidPerSecond = Math.max(0, hygiene.maxInvalidPerSecond());
        this.invalidBurst = 2L * invalidPerSecond;
        this.invalidOnThisGateway = invalidPerSecond <= 0 ? null
                : perSecond(GATEWAY_INVALID_FACTOR * invalidPerSecond, GATEWAY_INVALID_FACTOR * invalidBurst);
    }

    /** How many addresses' allowance of invalid messages the whole gateway allows. */
    static final int GATEWAY_INVALID_FACTOR = 10;

    /**
     * The invalid messages an address may send (its own bucket, which its connections share) and the
     * ones the gateway takes from all addresses together (one bucket): a message spends from both, so
     * a flood from one address is held to the address's pace and one spread over many addresses to
     * the gateway's, and a connection that sends none is never held.
     */
    record InvalidAllowance(Bucket address, Bucket gateway) {
        boolean tryConsume() {
            return address.tryConsume(1) && gateway.tryConsume(1);
        }
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

    /**
     * Counts a new connection from the address; returns the allowance of invalid messages its
     * connections share ({@code invalidPerSecond} a second for the address, twice that in a burst,
     * within the gateway's {@value #GATEWAY_INVALID_FACTOR} times that), or null when there is no limit.
     */
    synchronized InvalidAllowance connected(String address) {
        State s = byAddress.computeIfAbsent(address, a -> new State(
                messagesPerSecond <= 0 ? null : perSecond(messagesPerSecond, messagesPerSecond),
                invalidPerSecond <= 0 ? null
                        : new InvalidAllowance(perSecond(invalidPerSecond, invalidBurst), invalidOnThisGateway)));
        s.connections++;
        return s.invalid;
    }

    private static Bucket perSecond(int rate, long burst) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(burst)
                .refillGreedy(rate, Duration.ofSeconds(1)).build()).build();
    }

    int invalidPerSecond() {
        return invalidPerSecond;
    }

    synchronized void disconnected(String address) {
        State s = byAddress.get(address);
        if (s != null && --s.connections <= 0 && rested(s)) {
            byAddress.remove(address);
        }
    }

    /** Forgets the addresses with no connection left whose allowance of invalid messages is whole again. */
    synchronized void forgetRested() {
        byAddress.values().removeIf(s -> s.connections <= 0 && rested(s));
    }

    private boolean rested(State s) {
        return s.invalid == null || s.invalid.address().getAvailableTokens() >= invalidBurst;
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
