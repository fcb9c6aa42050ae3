package io.nostrex.gateway;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway role: WebSocket and HTTP on one port (Undertow), events to Kafka, verdicts and live
 * deliveries from Kafka, stored history from {@link History}.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

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

    private Gateway(GatewayConfig config, History history, String infoJson) {
        this.config = config;
        GatewayConfig.Limits limits = config.limits();
        this.pipeline = new Pipeline(config.kafka(), config.gatewayId());
        this.pending = new PendingOks(limits.verdictTimeoutMillis());
        this.queries = new ThreadPoolExecutor(config.queryThreads(), config.queryThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), r -> daemon(r, "gateway-query"));
        this.live = new LiveSubscriptions(config.gatewayId(), pipeline, history, queries, timers, limits, connections);
        this.handler = new ClientHandler(limits, pipeline, pending, live, history, queries);
        this.inbox = new Inbox(config.kafka(), config.gatewayId(), pending, live);
        this.server = Undertow.builder()
                .addHttpListener(config.port(), config.host())
                .setHandler(Handlers.websocket(this::onConnect,
                        new HttpFront(infoJson, config.info().name(), this::isHealthy)))
                .build();
    }

    /** Starts a gateway; {@code infoJson} is the NIP-11 document it serves. */
    public static Gateway start(GatewayConfig config, History history, String infoJson) {
        Gateway g = new Gateway(config, history, infoJson);
        g.server.start();
        g.pipeline.heartbeat();
        g.timers.scheduleAtFixedRate(g.pipeline::heartbeat, 5, 5, TimeUnit.SECONDS);
        g.timers.scheduleAtFixedRate(() -> g.pending.expire(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
        LOG.info("gateway {} listening on ws://{}:{}/", config.gatewayId(), config.host(), g.port());
        return g;
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

    public boolean isHealthy() {
        return inbox.isRunning();
    }

    private void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Connection c = new Connection(connections.nextId(), channel, config.limits().maxOutboundBytes());
        connections.add(c);
        channel.addCloseTask(ch -> disconnected(c));
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                handler.handle(c, message.getData());
            }

            @Override
            protected long getMaxTextBufferSize() {
                return config.limits().maxMessageLength();
            }

            @Override
            protected long getMaxBinaryBufferSize() {
                return config.limits().maxMessageLength();
            }
        });
        channel.resumeReceives();
    }

    private void disconnected(Connection c) {
        connections.remove(c);
        live.closeAll(c);
        pending.dropConnection(c.id);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
        for (Connection c : connections.all()) {
            live.closeAll(c);
        }
        pipeline.endHeartbeat();
        timers.shutdownNow();
        queries.shutdownNow();
        inbox.close();
        pipeline.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
