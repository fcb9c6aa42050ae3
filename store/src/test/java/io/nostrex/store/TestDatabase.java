package io.nostrex.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped at exit. Each caller of
 * {@link #newDatabase()} gets a database of its own, migrated; tests empty it with {@link #truncate}.
 */
final class TestDatabase {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabase() {}

    /** The shared server. */
    static synchronized EmbeddedPostgres get() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop));
        }
        return server;
    }

    /** A new, empty database on the shared server, not migrated; for migration tests. */
    static javax.sql.DataSource newBareDatabase() {
        String name = "nostrex_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name);
        return get().getDatabase("postgres", name);
    }

    /** A new, empty, migrated database on the shared server. */
    static Database newDatabase() {
        return newDatabase(4);
    }

    /** As {@link #newDatabase()}, with this many pooled connections. */
    static Database newDatabase(int poolSize) {
        String name = "nostrex_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name);
        return Database.connect(get().getJdbcUrl("postgres", name), "postgres", "postgres", poolSize);
    }

    /** Removes every event and deletion (partitions stay). */
    static void truncate(Database db) {
        execute(db, "TRUNCATE events, event_tags, event_ids, deleted_events, deleted_addresses");
    }

    static void execute(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long count(Database db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Row counts of the four tables, to show that nothing changed. */
    static String rowCounts(Database db) {
        return String.format("events=%d event_ids=%d deleted_events=%d deleted_addresses=%d",
                count(db, "SELECT count(*) FROM events"), count(db, "SELECT count(*) FROM event_ids"),
                count(db, "SELECT count(*) FROM deleted_events"), count(db, "SELECT count(*) FROM deleted_addresses"));
    }

    private static void execute(String database, String sql) {
        try (Connection c = get().getDatabase("postgres", database).getConnection();
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // the JVM is exiting; nothing more to do
        }
    }
}
