package io.nostrex.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.nostrex.ops.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's meters. Labels take few values: verbs, NIP-01 prefixes, close reasons; never a
 * pubkey, id, subscription id or address. One set per registry, so the gateways of one process
 * (dev mode, tests) add up instead of hiding each other.
 */
final class GatewayMetrics {
    /** The machine-readable prefixes of NIP-01 OK and CLOSED messages; anything else counts as "other". */
    static final Set<String> PREFIXES = Set.of("duplicate", "pow", "blocked", "rate-limited", "invalid",
            "restricted", "auth-required", "mute", "error");
    static final Set<String> CLIENT_VERBS = Set.of("EVENT", "REQ", "CLOSE", "COUNT", "AUTH", "NEG-OPEN",
            "NEG-MSG", "NEG-CLOSE");
    private static final Map<MeterRegistry, GatewayMetrics> BY_REGISTRY = new WeakHashMap<>();
    private static final Tags ROLE = Metrics.role("gateway");
    private static final Duration[] LATENCY_BUCKETS = Metrics.latencyBuckets();

    final AtomicLong connectionsOpen = new AtomicLong();
    final AtomicLong subscriptionsOpen = new AtomicLong();
    final AtomicLong okPending = new AtomicLong();
    final Counter connectionsOpened;
    final Counter deliveries;
    final Counter deliveredBytes;
    final Counter queriesRejected;
    final Counter withheld;
    final Counter rateLimited;
    final Counter readsPaused;
    final Timer reqLatency;
    final DistributionSummary reqRows;
    final Timer catchUpLatency;
    final Timer deliveredSinceReceived;
    final Timer registrationLatency;
    final Counter registeredAgain;
    final DistributionSummary catchUpRows;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Boolean, Timer> okLatency = new ConcurrentHashMap<>();

    private GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("nostrex.connections.open", connectionsOpen, AtomicLong::get).tags(ROLE)
                .description("Open client WebSockets").register(registry);
        Gauge.builder("nostrex.subscriptions.open", subscriptionsOpen, AtomicLong::get).tags(ROLE)
                .description("Open REQ subscriptions").register(registry);
        Gauge.builder("nostrex.ok.pending", okPending, AtomicLong::get).tags(ROLE)
                .description("EVENTs waiting for their OK").register(registry);
        connectionsOpened = Counter.builder("nostrex.connections.opened").tags(ROLE)
                .description("Client WebSockets accepted").register(registry);
        deliveries = Counter.builder("nostrex.deliveries").tags(ROLE)
                .description("Live EVENT frames sent to subscribers").register(registry);
        deliveredBytes = Counter.builder("nostrex.delivered.bytes").tags(ROLE).baseUnit("bytes")
                .description("Bytes of live EVENT frames sent to subscribers").register(registry);
        queriesRejected = Counter.builder("nostrex.query.rejected").tags(ROLE)
                .description("REQ and COUNT refused because the query queue or the connection's turn was full").register(registry);
        withheld = Counter.builder("nostrex.private.withheld").tags(ROLE)
                .description("Live events of a private kind (NIP-04 DMs, gift wraps) a subscription matched but its"
                        + " connection was not authenticated to read").register(registry);
        rateLimited = Counter.builder("nostrex.messages.rate_limited").tags(ROLE)
                .description("Client messages refused because their address used its messages per second").register(registry);
        readsPaused = Counter.builder("nostrex.connections.reads_paused").tags(ROLE)
                .description("Times a connection's reads were paused for sending more invalid messages than its allowance")
                .register(registry);
        reqLatency = Timer.builder("nostrex.req.latency").tags(ROLE).serviceLevelObjectives(LATENCY_BUCKETS)
                .description("From a REQ to its EOSE").register(registry);
        reqRows = DistributionSummary.builder("nostrex.req.rows").tags(ROLE)
                .serviceLevelObjectives(1, 10, 50, 100, 200, 500, 1_000, 5_000)
                .description("Stored events sent before EOSE, per REQ").register(registry);
        catchUpLatency = Timer.builder("nostrex.catchup.latency").tags(ROLE).serviceLevelObjectives(LATENCY_BUCKETS)
                .description("The live catch-up query of a registered REQ (what was stored between its history and"
                        + " the matcher's acknowledgement)").register(registry);
        // a live match's delivery record carries the event's receive time as its timestamp (nostr.stored's)
        deliveredSinceReceived = io.nostrex.ops.StageMeters.pipelineLatency(registry, "gateway", "delivered");
        registrationLatency = Timer.builder("nostrex.registration.latency").tags(ROLE)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .description("From publishing a subscription to the matchers until their acks say it is matched live"
                        + " (live events in between wait for the matchers' replay)").register(registry);
        registeredAgain = Counter.builder("nostrex.subscriptions.registered_again").tags(ROLE)
                .description("Subscriptions registered again because the matchers had dropped this gateway's (it was"
                        + " silent past their gateway timeout, cut off from Kafka)").register(registry);
        catchUpRows = DistributionSummary.builder("nostrex.catchup.rows").tags(ROLE)
                .serviceLevelObjectives(1, 10, 50, 100, 200, 500, 1_000, 5_000)
                .description("Events a catch-up query returned").register(registry);
        knownSeriesAtZero();
    }

    /**
     * The series of failures exist from the start, at zero, so that a dashboard line or an alert on
     * them has data before the first failure, and a rate over a restart is right.
     */
    private void knownSeriesAtZero() {
        for (String prefix : PREFIXES) {
            okCounter(false, prefix);
        }
        for (Connection.CloseReason reason : Connection.CloseReason.values()) {
            counter("nostrex.connections.closed", "reason", reason.label);
        }
        counter("nostrex.closed", "prefix", "error");
        counter("nostrex.closed", "prefix", "rate-limited");
        for (String by : List.of("replay", "query", "timeout")) {
            wentLive(by);
        }
        auth(true);
        auth(false);
        for (String reason : List.of("blocked", "gateway_full", "address_full")) {
            refused(reason);
        }
    }

    /**
     * A registered subscription is caught up: {@code replay} when the matchers' replay covered every
     * partition, {@code query} when a catch-up query was needed, {@code timeout} when the matchers
     * did not all acknowledge in time and a catch-up query ran anyway.
     */
    /**
     * A request refused before anything else: {@code blocked} (the operators blocked the address),
     * {@code gateway_full} (connection cap), {@code address_full} (the address's share of connections).
     */
    Counter refused(String reason) {
        return counters.computeIfAbsent("refused " + reason, k -> Counter.builder("nostrex.requests.refused")
                .tags(ROLE).tag("reason", reason)
                .description("HTTP and WebSocket requests refused at the door, by reason").register(registry));
    }

    /** An AUTH message (NIP-42): accepted, or refused with OK false. */
    Counter auth(boolean accepted) {
        return counters.computeIfAbsent("auth " + accepted, k -> Counter.builder("nostrex.auth")
                .tags(ROLE).tag("result", accepted ? "accepted" : "refused")
                .description("NIP-42 AUTH messages, by result").register(registry));
    }

    Counter wentLive(String by) {
        return counters.computeIfAbsent("nostrex.catchup" + '\u0000' + by, k -> Counter.builder("nostrex.catchup")
                .tags(ROLE).tag("by", by).description("Registered subscriptions caught up, by how").register(registry));
    }

    static GatewayMetrics of(MeterRegistry registry) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, GatewayMetrics::new);
        }
    }

    /** A query-pool gauge: tasks waiting for a query thread. */
    void queryQueue(java.util.concurrent.ThreadPoolExecutor pool, FairQueries fair) {
        Gauge.builder("nostrex.query.queue", pool, p -> p.getQueue().size()).tags(ROLE)
                .description("REQ and COUNT queries waiting for a query thread").register(registry);
        Gauge.builder("nostrex.query.waiting_turn", fair, FairQueries::waiting).tags(ROLE)
                .description("REQ and COUNT queries waiting for their connection's turn on the query threads").register(registry);
    }

    void clientMessage(String verb) {
        counter("nostr.client.messages", "verb", CLIENT_VERBS.contains(verb) ? verb : "invalid").increment();
    }

    void relayMessage(String verb) {
        counter("nostr.relay.messages", "verb", verb).increment();
    }

    void connectionOpened() {
        connectionsOpen.incrementAndGet();
        connectionsOpened.increment();
    }

    void connectionClosed(String reason) {
        connectionsOpen.decrementAndGet();
        counter("nostrex.connections.closed", "reason", reason).increment();
    }

    /** An OK sent to a client, by outcome and by the prefix of its message. */
    void ok(boolean accepted, String message) {
        okCounter(accepted, prefix(message)).increment();
    }

    private Counter okCounter(boolean accepted, String prefix) {
        return counters.computeIfAbsent("nostrex.ok\u0000" + accepted + '\u0000' + prefix,
                k -> Counter.builder("nostrex.ok").tags(ROLE).tag("accepted", Boolean.toString(accepted))
                        .tag("prefix", prefix).description("OK answers sent to clients").register(registry));
    }

    /** Time from the gateway receiving an EVENT to sending its OK. */
    void okLatency(boolean accepted, long nanos) {
        okLatency.computeIfAbsent(accepted, a -> Timer.builder("nostrex.ok.latency").tags(ROLE)
                .tag("accepted", a.toString()).serviceLevelObjectives(LATENCY_BUCKETS)
                .description("From receiving an EVENT to sending its OK").register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void closed(String message) {
        counter("nostrex.closed", "prefix", prefix(message)).increment();
    }

    /** The NIP-01 prefix of an OK or CLOSED message: "none" when empty, "other" when not a known one. */
    static String prefix(String message) {
        int colon = message.indexOf(':');
        if (colon < 0) {
            return message.isEmpty() ? "none" : "other";
        }
        String p = message.substring(0, colon);
        return PREFIXES.contains(p) ? p : "other";
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '\u0000' + value,
                k -> Counter.builder(name).tags(ROLE).tag(tag, value).register(registry));
    }
}
