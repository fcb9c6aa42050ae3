package io.nostrex.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Pooled connections to the relay's PostgreSQL database, its schema migrated on connect. Two pools:
 * {@link #dataSource()} plans every statement for its values and serves writes, searches, the
 * catch-up and counts; {@link #reusablePlans()} serves the walks, the reads whose best plan does not
 * depend on their values (see {@link FilterSql}): PostgreSQL plans each statement once, and only
 * ordered index scans and nested loops are allowed.
 */
public final class Database implements AutoCloseable {
    /** Writes, searches, the catch-up, counts: planned for their values, no parallel workers. */
    static final String PLANNED_SESSION = "SET plan_cache_mode = force_custom_plan; SET max_parallel_workers_per_gather = 0";
    /** Walks: one plan per statement and connection, and only index scans and nested loops. */
    static final String WALK_SESSION = "SET plan_cache_mode = force_generic_plan; SET max_parallel_workers_per_gather = 0;"
            + " SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off";

    private final HikariDataSource dataSource;
    private final HikariDataSource reusablePlans;

    private Database(HikariDataSource dataSource, HikariDataSource reusablePlans) {
        this.dataSource = dataSource;
        this.reusablePlans = reusablePlans;
    }

    /**
     * Opens the pools (each of at most {@code poolSize} connections) and applies the Flyway
     * migrations in {@code db/migration}.
     */
    public static Database connect(String jdbcUrl, String user, String password, int poolSize) {
        return connect(jdbcUrl, user, password, poolSize, null);
    }

    /** As above, with the pools' meters (connections active, idle, pending, wait time) in {@code registry}. */
    public static Database connect(String jdbcUrl, String user, String password, int poolSize,
                                   MeterRegistry registry) {
        // Writes and the reads planned for their values (searches, the catch-up, counts). No parallel
        // workers: a relay runs many small LIMIT queries at once, and workers started for one of them
        // are taken from the others.
        HikariDataSource dataSource = pool(jdbcUrl, user, password, poolSize, poolSize, "nostrex-store",
                PLANNED_SESSION, registry);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        // Walks (FilterSql): every filter but searches, the catch-up and counts. The driver prepares a
        // statement on the server from its 5th use on a connection; it is then planned once, without
        // its values. A walk's SQL leaves one sensible plan (an ordered scan of one composite index per
        // value, merged in order), and these settings take the others off the table whatever the planner
        // guesses: no sequential scans, no bitmap scans (which fetch every row of a value), no hash or
        // merge joins. No idle connections: roles that never read open none.
        HikariDataSource reusable = pool(jdbcUrl, user, password, poolSize, 0, "nostrex-store-reusable-plans",
                WALK_SESSION, registry);
        return new Database(dataSource, reusable);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize, int minimumIdle,
                                         String name, String sessionSettings, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        if (registry != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        config.setMinimumIdle(minimumIdle);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(name);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setConnectionInitSql(sessionSettings);
        return new HikariDataSource(config);
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Connections whose prepared statements keep one plan: only for reads that are safe with it. */
    public DataSource reusablePlans() {
        return reusablePlans;
    }

    /** Whether {@link #close()} was called: a closed pool never serves again. */
    public boolean isClosed() {
        return dataSource.isClosed();
    }

    /** Whether the database answers on a pooled connection within {@code timeoutSeconds}. */
    public boolean ping(int timeoutSeconds) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(timeoutSeconds);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        reusablePlans.close();
        dataSource.close();
    }
}
