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
 * {@link #dataSource()} plans every statement for its values and serves writes and most reads;
 * {@link #reusablePlans()} lets PostgreSQL plan a prepared statement once and reuse the plan, for
 * the reads whose best plan does not depend on their values (see {@link FilterSql.Query}).
 */
public final class Database implements AutoCloseable {
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
        // plan every query for its actual values: a generic plan cannot tell a rare kind from a common one.
        // No parallel workers: a relay runs many small LIMIT queries at once, and workers started
        // for one of them (seen for a tag walk whose join the planner misjudged) are taken from the others.
        HikariDataSource dataSource = pool(jdbcUrl, user, password, poolSize, poolSize, "nostrex-store",
                "force_custom_plan", registry);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        // A prepared statement (the driver prepares on the server from its 5th use on a connection) is
        // planned once, without its values: for an author, tag or id walk that saves the planning
        // (about half of such a query's time here) and picks the same indexes. No idle connections:
        // roles that never read open none.
        HikariDataSource reusable = pool(jdbcUrl, user, password, poolSize, 0, "nostrex-store-reusable-plans",
                "force_generic_plan", registry);
        return new Database(dataSource, reusable);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize, int minimumIdle,
                                         String name, String planCacheMode, MeterRegistry registry) {
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
        config.setConnectionInitSql("SET plan_cache_mode = " + planCacheMode + "; SET max_parallel_workers_per_gather = 0");
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
