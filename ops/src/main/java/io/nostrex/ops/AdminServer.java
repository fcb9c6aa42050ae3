package io.nostrex.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin port of a role without a client port of its own (validator, matcher, archiver). */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Undertow server;

    private AdminServer(Undertow server) {
        this.server = server;
    }

    /** Serves {@link AdminEndpoints} on {@code host:port} (port 0: any free port). */
    public static AdminServer start(String host, int port, PrometheusMeterRegistry registry, Health health) {
        Undertow server = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(new AdminEndpoints(registry, health, AdminEndpoints.notFound()))
                .build();
        server.start();
        AdminServer admin = new AdminServer(server);
        LOG.info("admin endpoints on http://{}:{}{{}, {}, {}}", host, admin.port(),
                AdminEndpoints.METRICS, AdminEndpoints.HEALTH, AdminEndpoints.READY);
        return admin;
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
