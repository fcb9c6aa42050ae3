package io.nostrex.app.it;

import io.nostrex.embedded.EmbeddedKafka;
import io.nostrex.embedded.EmbeddedPostgres;
import io.nostrex.contract.TopicSetup;
import io.nostrex.contract.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The broker and database shared by every integration test of one run: one {@link EmbeddedKafka}
 * and one {@link EmbeddedPostgres} in a temp folder, started on first use (in parallel), with the
 * contract's topics created; a shutdown hook stops both and deletes the folder.
 */
public final class TestInfra {
    /** Partitions of every contract topic in tests. */
    public static final int PARTITIONS = 3;

    private static TestInfra instance;
    private static final java.util.concurrent.atomic.AtomicInteger DATABASES = new java.util.concurrent.atomic.AtomicInteger();

    private final Path dir;
    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final Deque<AutoCloseable> dependents = new ArrayDeque<>();

    private TestInfra(Path dir, EmbeddedKafka kafka, EmbeddedPostgres postgres) {
        this.dir = dir;
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /** The shared infrastructure, started by the first caller. */
    public static synchronized TestInfra get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public String user() {
        return postgres.user();
    }

    public String password() {
        return postgres.password();
    }

    /**
     * Closes {@code resource} (a relay, a pool...) at JVM exit before the broker and database stop,
     * most recently registered first. Shutdown hooks run concurrently, so a hook of one's own could
     * still be using the broker while it stops.
     */
    public synchronized void closeBeforeStop(AutoCloseable resource) {
        dependents.push(resource);
    }

    /** A new, empty database on the shared PostgreSQL (no schema yet); returns its JDBC URL. */
    public String newDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl(), user(), password());
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return jdbcUrl().substring(0, jdbcUrl().lastIndexOf('/') + 1) + name;
    }

    /** A new admin client on the shared broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private static TestInfra start() {
        try {
            Path dir = Files.createTempDirectory("nostrex-it-");
            EmbeddedPostgres postgres = new EmbeddedPostgres(dir, 0);
            CompletableFuture<Void> pgStarted = CompletableFuture.runAsync(() -> startUnchecked(postgres));
            EmbeddedKafka kafka = new EmbeddedKafka(dir, 0, EmbeddedKafka.Durability.PAGE_CACHE).start();
            pgStarted.join();
            TestInfra infra = new TestInfra(dir, kafka, postgres);
            Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "test-infra-stop"));
            try (Admin admin = infra.admin()) {
                TopicSetup.ensure(admin, Topics.all(PARTITIONS), (short) 1);
            }
            return infra;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void startUnchecked(EmbeddedPostgres postgres) {
        try {
            postgres.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        synchronized (this) {
            for (AutoCloseable resource : dependents) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("TestInfra: closing " + resource + ": " + e);
                }
            }
        }
        kafka.close();
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("TestInfra: " + e);
        }
        deleteRecursively(dir);
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("TestInfra: cannot delete " + dir + ": " + e);
        }
    }
}
