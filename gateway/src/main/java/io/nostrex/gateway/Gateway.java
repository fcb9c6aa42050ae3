package io.nostrex.gateway;

import io.nostrex.contract.PolicyReader;
import io.nostrex.contract.PolicyRecord;
import io.nostrex.contract.PolicyView;
import io.nostrex.ops.AdminEndpoints;
import io.nostrex.ops.Health;
import io.nostrex.ops.Metrics;
import io.nostrex.ops.Ops;
import io.nostrex.ops.Status;
import io.nostrex.protocol.auth.ReadAccess;
import io.nostrex.protocol.message.RelayMessage;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.WebSocketMessages;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.Pooled;

/**
 * The gateway role: WebSocket and HTTP on one port (Undertow), events to Kafka, verdicts and live
 * deliveries from Kafka, stored history from {@link History}.
 */
public final class Gateway implements AutoCloseable {
    static {
        // Undertow and XNIO log through JBoss Logging, which picks Log4j 2 over SLF4J when log4j-core
        // is on the class path (Kafka's broker brings it): their warnings then bypassed the relay's
        // Logback configuration, and every trace check of theirs went through Log4j's filters
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final String ROLE = "gateway";
    /** The inbox polls every 200 ms; this long without a poll means it is stuck. */
    static final Duration INBOX_STALL = Duration.ofSeconds(60);
    /** Heartbeats go every 5 s; this long without an acknowledged one means Kafka is not taking writes. */
    static final Duration PRODUCER_SILENCE = Duration.ofSeconds(15);

    private final GatewayConfig config;
    private final Connections connections = new Connections();
    private final Pipeline pipeline;
    private final PendingOks pending;
    private final ThreadPoolExecutor queries;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> daemon(r, "gateway-timers"));
    private final LiveSubscriptions live;
    private final ClientHandler handler;
    private final Inbox inbox;
    private final Undertow server;
    private final GatewayMetrics metrics;
    private final Health health;
    private final List<AutoCloseable> meterBindings = new ArrayList<>();

    private final PolicyView policy;
    private final ClientAddresses addresses;
    private final Runnable stopPolicyListener;
    private final Warmup warmup = new Warmup();
    private volatile CompletableFuture<Warmup.Report> warmedUp = CompletableFuture.completedFuture(null);
    /** A request whose head has not arrived in this time is dropped (a half-sent header holds nothing). */
    static final int REQUEST_PARSE_TIMEOUT_MILLIS = 10_000;

    private Gateway(GatewayConfig config, History history, java.util.function.Supplier<String> infoJson,
                    PolicyReader policyReader, PolicyView policy, Ops ops) {
        this.policy = policy;
        this.addresses = new ClientAddresses(config.hygiene());
        this.config = config;
        this.health = ops.health();
        this.metrics = GatewayMetrics.of(ops.registry());
        GatewayConfig.Limits limits = config.limits();
        this.pipeline = new Pipeline(config.kafka(), config.gatewayId(), timers);
        this.pending = new PendingOks(limits.verdictTimeoutMillis(), limits.maxPendingOks(), metrics);
        this.queries = new ThreadPoolExecutor(config.queryThreads(), config.queryThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), r -> daemon(r, "gateway-query"));
        FairQueries fair = new FairQueries(queries, Math.max(1, config.queryThreads() / 4), 2 * limits.maxSubscriptions(),
                new QueryShares());
        metrics.queryQueue(queries, fair);
        this.live = new LiveSubscriptions(config.gatewayId(), pipeline, history, fair, timers, limits, connections,
                metrics);
        this.handler = new ClientHandler(limits, pipeline, pending, live, history, fair, metrics);
        this.inbox = new Inbox(config.kafka(), config.gatewayId(), pending, live,
                health.worker(inboxCheck(), INBOX_STALL));
        health.ready(producerCheck(), () -> pipeline.producerStatus(PRODUCER_SILENCE.toNanos()));
        meterBindings.add(Metrics.bind(ops.registry(), pipeline.producer(), ROLE));
        meterBindings.add(Metrics.bind(ops.registry(), inbox.consumer(), ROLE));
        ManagementApi management = new ManagementApi(config.access().adminPubkeys(), config.access(), policy,
                policyReader, pipeline.producer());
        io.undertow.server.HttpHandler front = Handlers.websocket(this::onConnect, new AdminEndpoints(ops.registry(),
                health, new HttpFront(infoJson, config.info().name(), management)));
        this.server = Undertow.builder()
                .addHttpListener(config.port(), config.host())
                .setServerOption(io.undertow.UndertowOptions.REQUEST_PARSE_TIMEOUT, REQUEST_PARSE_TIMEOUT_MILLIS)
                .setHandler(exchange -> admit(exchange, front))
                .build();
        this.stopPolicyListener = policy.onChange(r -> {
            if (r.kind() == PolicyRecord.Kind.BLOCK_IP && r.by() != null) {
                for (Connection c : connections.all()) {
                    if (c.address.equals(r.subject())) {
                        c.send(new RelayMessage.Notice("blocked: this address is blocked by the relay's operators"));
                        c.close(Connection.CloseReason.BLOCKED);
                    }
                }
            }
        });
    }

    /**
     * Starts a gateway; {@code infoJson} is the NIP-11 document it serves. Its port also serves
     * {@code /metrics}, {@code /health} and {@code /ready} for {@code ops}.
     */
    public static Gateway start(GatewayConfig config, History history, String infoJson, Ops ops) {
        return start(config, history, () -> infoJson, null, new PolicyView(), ops);
    }

    /**
     * Starts a gateway whose NIP-11 document is {@code infoJson}'s at each request, under the
     * operators' policy as {@code policy} holds it (NIP-86); {@code policyReader} fills it, and the
     * management API waits for it to apply each change (null: the API answers once Kafka has it).
     */
    public static Gateway start(GatewayConfig config, History history, java.util.function.Supplier<String> infoJson,
                                PolicyReader policyReader, PolicyView policy, Ops ops) {
        Gateway g = new Gateway(config, history, infoJson, policyReader, policy, ops);
        g.server.start();
        g.pipeline.heartbeat();
        g.timers.scheduleAtFixedRate(g.pipeline::heartbeat, 5, 5, TimeUnit.SECONDS);
        g.timers.scheduleAtFixedRate(() -> g.pending.expire(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
        g.timers.scheduleAtFixedRate(g.handler::closeIdleNegentropies, 30, 30, TimeUnit.SECONDS);
        g.timers.scheduleAtFixedRate(g.addresses::forgetRested, 10, 10, TimeUnit.SECONDS);
        if (config.hygiene().idleTimeoutSeconds() > 0) {
            long every = Math.max(1, config.hygiene().idleTimeoutSeconds() / 4);
            g.timers.scheduleAtFixedRate(g::pingOrClose, every, every, TimeUnit.SECONDS);
        }
        LOG.info("gateway {} listening on ws://{}:{}/", config.gatewayId(), config.host(), g.port());
        g.warmUp();
        return g;
    }

    /** Starts the {@link Warmup}; the gateway is not ready until it has ended. */
    private void warmUp() {
        if (config.warmupSeconds() <= 0) {
            return;
        }
        warmedUp = warmup.start(config.host(), port(), Duration.ofSeconds(config.warmupSeconds())).whenComplete((report, error) -> {
            if (error == null && report.outOfTime()) {
                LOG.warn("gateway {} warm-up ran out of time (some answers, OKs or deliveries did not come): {}",
                        config.gatewayId(), report);
            } else if (error == null) {
                LOG.info("gateway {} warmed up: {}", config.gatewayId(), report);
            } else {
                LOG.warn("gateway {} warm-up did not finish: {}", config.gatewayId(), error.toString());
            }
        });
        health.ready(warmupCheck(), () -> Status.when(warmedUp.isDone(), "warmed up", "warming up"));
    }

    /** Ends when the gateway's warm-up has (at once when it has none), with what it did; null when it had none. */
    public CompletableFuture<Warmup.Report> warmedUp() {
        return warmedUp;
    }

    /**
     * What every request meets first: a blocked address gets 403 (the management API excepted: its
     * requests are authorized by signature, and an admin who blocked their own address must be able
     * to lift it); a WebSocket upgrade past this gateway's connection cap gets 503, past its share
     * of the per-address cap 429.
     */
    private void admit(io.undertow.server.HttpServerExchange exchange, io.undertow.server.HttpHandler front)
            throws Exception {
        String address = clientAddress(exchange.getSourceAddress(), exchange.getRequestHeaders().getFirst(
                config.hygiene().clientIpHeader() == null ? "" : config.hygiene().clientIpHeader()));
        if (policy.isBlockedIp(address) && !ManagementApi.isRpc(exchange)) {
            refuse(exchange, 403, "blocked", "blocked: this address is blocked by the relay's operators");
        } else if (warmup.admits(exchange.getRequestHeaders().getFirst(Warmup.HEADER))) {
            front.handleRequest(exchange); // the gateway's own warm-up: no cap refuses it
        } else if (isUpgrade(exchange) && connections.size() >= config.hygiene().maxConnections()) {
            refuse(exchange, 503, "gateway_full", "rate-limited: this gateway holds its most connections ("
                    + config.hygiene().maxConnections() + "); try again later");
        } else if (isUpgrade(exchange) && !addresses.mayConnect(address)) {
            refuse(exchange, 429, "address_full", "rate-limited: too many connections from your address (at most "
                    + addresses.connectionsPerAddress() + " on this gateway)");
        } else {
            front.handleRequest(exchange);
        }
    }

    private void refuse(io.undertow.server.HttpServerExchange exchange, int status, String reason, String message) {
        metrics.refused(reason).increment();
        exchange.setStatusCode(status);
        exchange.getResponseSender().send(message);
    }

    private static boolean isUpgrade(io.undertow.server.HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** The client's address: the last value of the trusted proxy's header when set and present, else the TCP peer. */
    static String clientAddress(java.net.InetSocketAddress peer, String forwarded) {
        if (forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty()) {
                return last;
            }
        }
        return peer == null ? "" : peer.getAddress().getHostAddress();
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    public String gatewayId() {
        return config.gatewayId();
    }

    public int connectionCount() {
        return connections.size();
    }

    private String inboxCheck() {
        return "gateway " + config.gatewayId() + " inbox";
    }

    private String producerCheck() {
        return "gateway " + config.gatewayId() + " producer";
    }

    private String warmupCheck() {
        return "gateway " + config.gatewayId() + " warm-up";
    }

    private void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        GatewayConfig.Access access = config.access();
        String header = config.hygiene().clientIpHeader();
        String address = clientAddress((InetSocketAddress) channel.getSourceAddress(),
                header == null ? null : exchange.getRequestHeader(header));
        boolean own = warmup.admits(exchange.getRequestHeader(Warmup.HEADER)); // not one of its address's
        ClientAddresses.InvalidAllowance invalidAllowance = own ? null : addresses.connected(address);
        Connection c = new Connection(connections.nextId(), channel, address, config.limits().maxOutboundBytes(), metrics,
                access.relayUrls(exchange.getRequestHeader("Host")), ReadAccess.anonymous(access.privateKinds()),
                invalidAllowance, addresses.invalidPerSecond(), own);
        connections.add(c);
        metrics.connectionOpened();
        channel.addCloseTask(ch -> disconnected(c));
        channel.getReceiveSetter().set(new AbstractReceiveListener() {

            @Override
            protected void onFullPongMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                c.heard();
                message.getData().free();
            }

            @Override
            protected void onFullPingMessage(WebSocketChannel ch, BufferedBinaryMessage message) throws java.io.IOException {
                c.heard();
                super.onFullPingMessage(ch, message);
            }

            /**
             * A text message is read as bytes (its frames' stream checks their UTF-8 as it goes)
             * and decoded once, whole: Undertow's own text buffering decodes it byte by byte.
             */
            @Override
            protected void onText(WebSocketChannel ch, StreamSourceFrameChannel frame) {
                if (refusedOnItsHeader(c, ch, frame)) {
                    return;
                }
                new BufferedBinaryMessage(config.limits().maxMessageLength(), true).read(frame,
                        new WebSocketCallback<BufferedBinaryMessage>() {
                            @Override
                            public void complete(WebSocketChannel channel, BufferedBinaryMessage message) {
                                String text;
                                try (Pooled<ByteBuffer[]> data = message.getData()) {
                                    text = utf8(data.getResource());
                                }
                                received(c, text);
                            }

                            @Override
                            public void onError(WebSocketChannel channel, BufferedBinaryMessage message, Throwable error) {
                                message.getData().close();
                                failed(channel, error);
                            }
                        });
            }

            private void failed(WebSocketChannel ch, Throwable error) {
                onError(ch, error);
            }

            @Override
            protected void onBinary(WebSocketChannel ch, StreamSourceFrameChannel frame) throws java.io.IOException {
                if (!refusedOnItsHeader(c, ch, frame)) {
                    super.onBinary(ch, frame);
                }
            }

            @Override
            protected long getMaxBinaryBufferSize() {
                return config.limits().maxMessageLength();
            }

            @Override
            protected void onError(WebSocketChannel ch, Throwable error) {
                c.closing(isOversized(error) ? Connection.CloseReason.OVERSIZED_FRAME
                        : Connection.CloseReason.READ_ERROR);
                super.onError(ch, error);
            }
        });
        channel.resumeReceives();
        c.send(new RelayMessage.AuthChallenge(c.challenge));
    }

    /**
     * Pings every connection, and closes those that have sent nothing, not even a pong, for the
     * idle timeout (a client that does not read never answers a ping).
     */
    private void pingOrClose() {
        long idleNanos = TimeUnit.SECONDS.toNanos(config.hygiene().idleTimeoutSeconds());
        long now = System.nanoTime();
        for (Connection c : connections.all()) {
            if (now - c.lastHeardNanos() > idleNanos) {
                LOG.info("connection {} from {} sent nothing for {} s: closing", c.id, c.address,
                        config.hygiene().idleTimeoutSeconds());
                c.close(Connection.CloseReason.IDLE);
            } else {
                c.ping();
            }
        }
    }

    private void received(Connection c, String text) {
        c.heard();
        if (c.warmup || addresses.tryMessage(c.address)) {
            handler.handle(c, text);
        } else {
            metrics.rateLimited.increment();
            handler.rateLimited(c, text, addresses.messagesPerSecond());
        }
    }

    /** The text of a message read as UTF-8 bytes (already checked as UTF-8 by its frames' stream). */
    static String utf8(ByteBuffer[] buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        byte[] bytes = new byte[size];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.get(bytes, at, n);
            at += n;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A message whose first frame declares more bytes than the limit is refused before any of its
     * payload is read (unmasked, checked as UTF-8, buffered): close 1009 and the connection closed
     * once it is sent. Undertow compares the declared length with the bound given here and closes
     * the frame's stream when it is over; it also checks each later fragment of the message, whose
     * stream then fails to read, and the buffered message keeps its own check of the bytes read.
     */
    private boolean refusedOnItsHeader(Connection c, WebSocketChannel ch, StreamSourceFrameChannel frame) {
        if (!frame.isOpen()) {
            return false; // nothing to read (an empty frame): Undertow has already completed it
        }
        frame.setMaxStreamSize(config.limits().maxMessageLength());
        if (frame.isOpen()) {
            return false;
        }
        c.closing(Connection.CloseReason.OVERSIZED_FRAME);
        WebSockets.sendClose(CloseMessage.MSG_TOO_BIG, WebSocketMessages.MESSAGES.messageToBig(
                config.limits().maxMessageLength()), ch, new WebSocketCallback<Void>() {
                    @Override
                    public void complete(WebSocketChannel channel, Void context) {
                        IoUtils.safeClose(channel);
                    }

                    @Override
                    public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                        IoUtils.safeClose(channel);
                    }
                });
        return true;
    }

    /** Undertow's own error for a message over the size limit (it has already sent close 1009). */
    private boolean isOversized(Throwable error) {
        return error instanceof java.io.IOException && WebSocketMessages.MESSAGES
                .messageToBig(config.limits().maxMessageLength()).equals(error.getMessage());
    }

    private void disconnected(Connection c) {
        if (!c.warmup) {
            addresses.disconnected(c.address);
        }
        metrics.connectionClosed(c.closeReason().label);
        connections.remove(c);
        live.closeAll(c);
        handler.closed(c);
        pending.dropConnection(c.id);
    }

    @Override
    public void close() throws Exception {
        drainOks();
        stopPolicyListener.run();
        for (Connection c : connections.all()) {
            c.closing(Connection.CloseReason.SHUTDOWN);
        }
        server.stop();
        for (Connection c : connections.all()) {
            live.closeAll(c);
        }
        pipeline.endHeartbeat();
        timers.shutdownNow();
        queries.shutdownNow();
        inbox.close();
        health.remove(inboxCheck());
        health.remove(producerCheck());
        health.remove(warmupCheck());
        for (AutoCloseable binding : meterBindings) {
            binding.close();
        }
        pipeline.close();
    }

    /** How long a stopping gateway waits for the OKs its clients are owed. */
    static final Duration DRAIN = Duration.ofSeconds(5);

    /**
     * Waits, at most {@link #DRAIN}, until every EVENT received has its OK, so that a rolling deploy
     * does not turn accepted events into {@code error:} answers or silence.
     */
    private void drainOks() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (pending.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (pending.size() > 0) {
            LOG.warn("stopping with {} EVENTs still waiting for their OK after {} s", pending.size(), DRAIN.toSeconds());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
