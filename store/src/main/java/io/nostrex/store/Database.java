package io.nostrex.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A pooled connection to the relay's PostgreSQL database, its schema migrated on connect. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens a Hikari pool and applies the Flyway migrations in {@code db/migration}. */
    public static Database connect(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("nostrex-store");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // plan every query for its actual values: a generic plan cannot tell a rare author from a common one.
        // No parallel workers: a relay runs many small LIMIT queries at once, and workers started
        // for one of them (seen for a tag walk whose join the planner misjudged) are taken from the others.
        config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan; SET max_parallel_workers_per_gather = 0");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
