package io.nostrex.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by this JVM (zonky's embedded binaries), listening on localhost, keeping
 * its data under {@code dataDir/postgres}. The data folder is created by initdb once and reused
 * on every later start. Unlike zonky's test defaults (postgres {@code -F}, synchronous_commit off)
 * fsync and synchronous_commit are on: a committed row survives a crash. The buffer cache is
 * sized for the machine ({@link #sharedBuffersMiB(long)}).
 *
 * <p>Authentication is {@code trust} for the superuser {@value #USER} (initdb {@code -A trust}):
 * only processes on this machine can reach the server, and {@link #password()} is empty.
 *
 * <p>No shutdown hook is registered: the owner closes the server after the code that uses it. A
 * server left running by a JVM that was killed is stopped by the next {@link #start()}.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    public static final String DATABASE = "nostrex";
    public static final String USER = "postgres";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final int requestedPort;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private boolean closed;
    private final java.util.Map<String, String> serverConfig = new java.util.LinkedHashMap<>();

    /**
     * @param dataDir the folder holding all local data; PostgreSQL uses {@code dataDir/postgres}
     * @param port the port on localhost, or 0 to pick a free one ({@link #jdbcUrl()} tells)
     */
    public EmbeddedPostgres(Path dataDir, int port) {
        this.dir = dataDir.resolve("postgres").toAbsolutePath();
        this.requestedPort = port;
    }

    /**
     * A server setting on top of these defaults, as {@code postgres -c name=value} (TLS, say:
     * {@code ssl}, {@code ssl_cert_file}, {@code ssl_key_file}, and an {@code hba_file} that asks
     * for it); before {@link #start()}. The settings must keep trusting {@value #USER} from
     * localhost, which this class uses to create the database.
     */
    public synchronized EmbeddedPostgres withServerConfig(String name, String value) {
        if (pg != null) {
            throw new IllegalStateException("before start()");
        }
        serverConfig.put(name, value);
        return this;
    }

    /** Runs initdb if the folder is new, starts the server and creates database {@value #DATABASE}. */
    public synchronized EmbeddedPostgres start() throws IOException {
        if (pg != null || closed) {
            throw new IllegalStateException("start() may be called once");
        }
        long t0 = System.nanoTime();
        boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
        stopOrphanedServer();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(requestedPort)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("shared_buffers", sharedBuffersMiB() + "MB");
        serverConfig.forEach(builder::setServerConfig);
        pg = builder.start();
        createDatabaseIfMissing();
        LOG.info("PostgreSQL on port {} ({} data in {}) in {} ms", pg.getPort(), fresh ? "new" : "existing",
                dir, (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    /**
     * PostgreSQL's buffer cache for this machine: an eighth of its memory, at least PostgreSQL's
     * default of 128 MiB and at most 1 GiB. With the default, a REQ-heavy store of a million events
     * read most pages through the kernel (a tenth of PostgreSQL's time in {@code pread}).
     */
    static long sharedBuffersMiB(long physicalMemoryBytes) {
        long eighth = physicalMemoryBytes / 8 / (1024 * 1024);
        return Math.max(128, Math.min(1024, eighth));
    }

    private static long physicalMemoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
    }

    /** {@link #sharedBuffersMiB(long)} for the machine this JVM runs on. */
    public static long sharedBuffersMiB() {
        return sharedBuffersMiB(physicalMemoryBytes());
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    /** Empty: the server trusts local connections. */
    public String password() {
        return "";
    }

    public int port() {
        if (pg == null) {
            throw new IllegalStateException("not started");
        }
        return pg.getPort();
    }

    public Path dataDirectory() {
        return dir;
    }

    /** Stops the server (pg_ctl stop -m fast, a clean shutdown); a second call does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (pg != null) {
            pg.close();
            LOG.info("PostgreSQL on port {} stopped", pg.getPort());
        }
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, DATABASE);
            try (ResultSet rs = q.executeQuery(); Statement create = c.createStatement()) {
                if (!rs.next()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot create database " + DATABASE, e);
        }
    }

    /**
     * pg_ctl starts the server detached, so after a kill -9 of the JVM that owned it the server
     * keeps running and holds the folder. If no live process holds zonky's lock on the folder, that
     * server is an orphan: ask it to shut down (SIGTERM, a smart shutdown) before starting anew.
     */
    private void stopOrphanedServer() throws IOException {
        Optional<ProcessHandle> postmaster = runningPostmaster();
        if (postmaster.isEmpty()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("epg-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("PostgreSQL data folder in use by another process: " + dir);
            }
            long pid = postmaster.get().pid();
            LOG.warn("Stopping PostgreSQL (pid {}) left running by an earlier process on {}", pid, dir);
            postmaster.get().destroy();
            postmaster.get().onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("PostgreSQL data folder in use in this JVM: " + dir, e);
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException("PostgreSQL left running on " + dir + " did not stop; stop it and retry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The live postgres process named in {@code postmaster.pid}, if any. */
    private Optional<ProcessHandle> runningPostmaster() {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
