package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.embedded.EmbeddedPostgres;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import io.nostrex.store.Database;
import io.nostrex.store.EventQuery;
import io.nostrex.store.EventStore;
import io.nostrex.store.StoreOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store on a PostgreSQL that takes its role only over TLS and with a password: the relay's
 * database layer (pool, migrations, writes, reads) connects with {@code sslmode=verify-full}
 * against the server's certificate; a wrong password, or no TLS, is refused.
 */
class PostgresTlsIT {
    private static final String STORE_PASSWORD = "test-store-password";

    @Test
    void theStoreWorksOverTlsWithAPasswordAndNothingElseGetsIn() throws Exception {
        Path dir = Files.createTempDirectory("nostrex-pg-tls");
        Path keystore = dir.resolve("server.p12");
        Path certificate = dir.resolve("server.crt");
        KafkaSecurityIT.makeCertificate(keystore, dir.resolve("trust.p12"), certificate);
        Path key = dir.resolve("server.key");
        writePrivateKey(keystore, key);
        Path hba = dir.resolve("pg_hba.conf");
        Files.writeString(hba, String.join("\n",
                "local all all trust",
                "host all postgres 127.0.0.1/32 trust",   // this class's own admin connection
                "host all postgres ::1/128 trust",
                "hostssl all relay 127.0.0.1/32 scram-sha-256",
                "hostssl all relay ::1/128 scram-sha-256", ""));
        EmbeddedPostgres pg = new EmbeddedPostgres(dir, 0)
                .withServerConfig("ssl", "on")
                .withServerConfig("ssl_cert_file", certificate.toString())
                .withServerConfig("ssl_key_file", key.toString())
                .withServerConfig("hba_file", hba.toString())
                .start();
        try {
            try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                 Statement st = admin.createStatement()) {
                st.execute("CREATE ROLE relay LOGIN PASSWORD 'relay-secret'");
                st.execute("ALTER DATABASE " + EmbeddedPostgres.DATABASE + " OWNER TO relay");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + EmbeddedPostgres.DATABASE;
            String tls = url + "?sslmode=verify-full&sslrootcert=" + certificate;

            // The relay's database layer, over TLS with the password: migrations, a write and a read
            try (Database db = Database.connect(tls, "relay", "relay-secret", 2)) {
                Event e = EventSigner.random().sign(1, List.of(), "stored over TLS");
                assertThat(new EventStore(db.dataSource()).store(List.of(e))).containsExactly(StoreOutcome.STORED);
                Filter byId = FilterParser.parse(Json.read("{\"ids\":[\"" + e.id() + "\"]}"));
                assertThat(new EventQuery(db).query(List.of(byId), 10)).hasSize(1);
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean("ssl")).as("the connection is encrypted").isTrue();
                    assertThat(rs.getString("version")).startsWith("TLSv1.");
                }
            }
            // A wrong password, and no TLS, are refused
            assertThatThrownBy(() -> DriverManager.getConnection(tls, "relay", "not-the-secret").close())
                    .isInstanceOf(SQLException.class).extracting(t -> ((SQLException) t).getSQLState()).isEqualTo("28P01");
            assertThatThrownBy(() -> DriverManager.getConnection(url + "?sslmode=disable", "relay", "relay-secret").close())
                    .isInstanceOf(SQLException.class).extracting(t -> ((SQLException) t).getSQLState()).isEqualTo("28000");
        } finally {
            pg.close();
            TestInfra.deleteRecursively(dir);
        }
    }

    /** The PKCS12 file's private key as a PEM file only its owner may read, as PostgreSQL requires. */
    private static void writePrivateKey(Path keystore, Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        byte[] pkcs8 = ks.getKey("broker", STORE_PASSWORD.toCharArray()).getEncoded();
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
    }
}
