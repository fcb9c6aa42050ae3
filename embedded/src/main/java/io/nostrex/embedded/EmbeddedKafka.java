package io.nostrex.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller roles combined) inside this JVM,
 * bound to 127.0.0.1, keeping its log under {@code dataDir/kafka}. The storage is formatted only
 * when that folder is new, so topics, records and the cluster id survive a restart.
 *
 * <p>Durability: with {@link Durability#PAGE_CACHE} (Kafka's own default,
 * {@code log.flush.interval.messages} = Long.MAX_VALUE) an append is in the OS page cache when the
 * producer gets its ack; Kafka fsyncs when a segment rolls and on clean shutdown, and Linux writes
 * dirty pages back within about 30 s ({@code vm.dirty_expire_centisecs}). A crash or kill -9 of
 * this JVM loses nothing; a power cut or kernel crash may lose the last seconds. With
 * {@link Durability#FSYNC_EACH_MESSAGE} the log is fsynced after every append, before the ack.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER = "CONTROLLER";
    static final int FREE_PORTS_FROM = 20_000;
    static final int FREE_PORTS_TO = 32_000;

    /** When the broker forces its log to disk. */
    public enum Durability { PAGE_CACHE, FSYNC_EACH_MESSAGE }

    private final Path logDir;
    private final int requestedPort;
    private final Durability durability;
    private KafkaRaftServer server;
    private String clusterId;
    private int port;
    private boolean closed;
    private SaslSsl saslSsl;
    private int saslSslPort;
    private int requestedControllerPort;
    private final java.util.List<Listener> listeners = new java.util.ArrayList<>();

    /**
     * A further plain listener: the broker binds {@code port} and tells the clients that come in
     * through it to use {@code advertisedPort}, where something in between (a proxy that can cut or
     * hold the traffic, in a fault drill) forwards to {@code port}. Clients that bootstrap at the
     * advertised port reach the broker only through it.
     */
    public record Listener(String name, int port, int advertisedPort) {}

    /**
     * A second client listener that takes TLS and SASL/SCRAM-SHA-512 only, with the broker's key
     * and certificate in a PKCS12 file. Users are added through {@code Admin.alterUserScramCredentials}
     * on the plain listener.
     */
    public record SaslSsl(Path keystore, String password) {}

    /**
     * @param dataDir the folder holding all local data; the broker uses {@code dataDir/kafka}
     * @param port the client port on 127.0.0.1, or 0 to pick a free one ({@link #bootstrapServers()} tells)
     */
    public EmbeddedKafka(Path dataDir, int port, Durability durability) {
        this.logDir = dataDir.resolve("kafka").toAbsolutePath();
        this.requestedPort = port;
        this.durability = durability;
    }

    /** Also listens for TLS with SASL/SCRAM-SHA-512 clients ({@link #saslSslBootstrapServers()}); before {@link #start()}. */
    public synchronized EmbeddedKafka withSaslSsl(SaslSsl listener) {
        if (server != null) {
            throw new IllegalStateException("before start()");
        }
        this.saslSsl = listener;
        return this;
    }

    /** The TLS and SASL/SCRAM listener's address. */
    public String saslSslBootstrapServers() {
        if (saslSslPort == 0) {
            throw new IllegalStateException("not started with a SASL_SSL listener");
        }
        return HOST + ":" + saslSslPort;
    }

    /**
     * The controller's port (by default a free one at each start); a fixed one lets a broker
     * killed with kill -9 start again on its folder with the same quorum address. Before {@link #start()}.
     */
    public synchronized EmbeddedKafka withControllerPort(int controllerPort) {
        if (server != null) {
            throw new IllegalStateException("before start()");
        }
        this.requestedControllerPort = controllerPort;
        return this;
    }

    /** Adds a plain listener (see {@link Listener}); before {@link #start()}. */
    public synchronized EmbeddedKafka withListener(Listener listener) {
        if (server != null) {
            throw new IllegalStateException("before start()");
        }
        if (listener.name().equalsIgnoreCase("PLAINTEXT") || listener.name().equalsIgnoreCase(CONTROLLER)
                || listener.name().equalsIgnoreCase("SASL_SSL") || !listener.name().matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("listener name must be upper-case and not a built-in one: " + listener.name());
        }
        listeners.add(listener);
        return this;
    }

    /** Formats the storage if the folder is new, then starts the broker; returns once it accepts clients. */
    public synchronized EmbeddedKafka start() {
        if (server != null || closed) {
            throw new IllegalStateException("start() may be called once");
        }
        long t0 = System.nanoTime();
        port = requestedPort == 0 ? freePort() : requestedPort;
        Properties settings = brokerConfig(port, requestedControllerPort == 0 ? freePort() : requestedControllerPort);
        for (Listener l : listeners) {
            addPlain(settings, l);
        }
        if (saslSsl != null) {
            saslSslPort = freePort();
            addSaslSsl(settings, saslSslPort);
        }
        KafkaConfig config = new KafkaConfig(settings, false);
        boolean formatted = formatIfNew();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Kafka {} on {} ({} storage in {}, cluster {}) in {} ms", durability, bootstrapServers(),
                formatted ? "new" : "existing", logDir, clusterId, (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    public String bootstrapServers() {
        if (port == 0) {
            throw new IllegalStateException("not started");
        }
        return HOST + ":" + port;
    }

    /** The cluster id written in {@code meta.properties} when the storage was formatted. */
    public String clusterId() {
        return clusterId;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker cleanly (flushes and checkpoints the log); a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            LOG.info("Kafka on {} stopped", bootstrapServers());
        }
    }

    /** The broker settings: one node, loopback only, internal topics with one replica. */
    Properties brokerConfig(int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + "," + CONTROLLER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's dedupe map lives on the heap (128 MiB by default); 16 MiB is ample here.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16L * 1024 * 1024));
        if (durability == Durability.FSYNC_EACH_MESSAGE) {
            p.put("log.flush.interval.messages", "1");
        }
        return p;
    }

    private static void addPlain(Properties p, Listener l) {
        p.put("listeners", p.getProperty("listeners") + "," + l.name() + "://" + HOST + ":" + l.port());
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + l.name() + "://" + HOST + ":"
                + l.advertisedPort());
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + "," + l.name()
                + ":PLAINTEXT");
    }

    private void addSaslSsl(Properties p, int securePort) {
        p.put("listeners", p.getProperty("listeners") + ",SASL_SSL://" + HOST + ":" + securePort);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + ",SASL_SSL://" + HOST + ":" + securePort);
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.sasl_ssl.ssl.keystore.location", saslSsl.keystore().toAbsolutePath().toString());
        p.put("listener.name.sasl_ssl.ssl.keystore.password", saslSsl.password());
        p.put("listener.name.sasl_ssl.ssl.key.password", saslSsl.password());
        p.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    }

    /** Formats the log folder unless it holds {@code meta.properties}; either way sets the cluster id. */
    private boolean formatIfNew() {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            clusterId = readClusterId(meta);
            return false;
        }
        clusterId = Uuid.randomUuid().toString();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir, e);
        }
        return true;
    }

    private static String readClusterId(Path meta) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("cluster.id");
    }

    /**
     * A port free now, below the ephemeral ranges of Linux (32768+) and macOS (49152+). A port
     * from {@code new ServerSocket(0)} comes from the ephemeral range, where any outgoing
     * connection opened before the broker binds it (a database pool, a client) may take it as its
     * local port, and the broker then fails to start.
     */
    public static int freePort() {
        InetAddress host;
        try {
            host = InetAddress.getByName(HOST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IOException last = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FREE_PORTS_FROM, FREE_PORTS_TO);
            try (ServerSocket s = new ServerSocket(port, 1, host)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new UncheckedIOException("no free port in " + FREE_PORTS_FROM + "-" + FREE_PORTS_TO, last);
    }
}
