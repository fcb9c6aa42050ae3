package io.nostrex.app.it;

import io.nostrex.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Run in a child JVM by {@link EmbeddedInfraIT}: starts PostgreSQL, commits a row, says READY, waits to be killed. */
public final class PostgresChild {
    static final String READY = "READY\n";

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres pg = new EmbeddedPostgres(Path.of(args[0]), 0).start();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('before kill')");
        }
        System.out.print(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
