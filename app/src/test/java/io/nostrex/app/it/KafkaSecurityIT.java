package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.embedded.EmbeddedKafka;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

/**
 * The relay on a Kafka that takes only TLS with SASL/SCRAM-SHA-512 clients: every role connects
 * with the {@code KAFKA_*} settings an operator would set, and a client with a wrong password is
 * refused. The broker's certificate is made here with the JDK's keytool, for 127.0.0.1.
 */
class KafkaSecurityIT {
    private static final String PASSWORD = "test-store-password";

    @Test
    void theRelayWorksOverTlsAndScramAndAWrongPasswordIsRefused() throws Exception {
        TestInfra infra = TestInfra.get();
        Path dir = Files.createTempDirectory("nostrex-kafka-tls");
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("trust.p12");
        makeCertificate(keystore, truststore, dir.resolve("broker.crt"));
        EmbeddedKafka kafka = new EmbeddedKafka(dir, 0, EmbeddedKafka.Durability.PAGE_CACHE)
                .withSaslSsl(new EmbeddedKafka.SaslSsl(keystore, PASSWORD)).start();
        Relay relay = null;
        try {
            try (Admin plain = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                plain.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("nostrex",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "relay-secret")))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> env = new HashMap<>(secureClient(kafka, truststore, "relay-secret"));
            env.put("NOSTREX_PORT", "0");
            env.put("NOSTREX_WARMUP_SECONDS", "0");
            env.put("NOSTREX_DATA", dir.resolve("relay").toString());
            Settings s = Settings.from(env).withDatabase(infra.jdbcUrl(), infra.user(), infra.password());
            assertThat(s.toString()).doesNotContain("relay-secret").doesNotContain(PASSWORD);

            // A wrong password is refused by the broker
            Map<String, Object> wrong = Settings.from(secureClient(kafka, truststore, "not-the-secret")).kafka();
            try (Admin intruder = Admin.create(wrong)) {
                assertThatThrownBy(() -> intruder.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }

            // The relay, every role on the secure listener: an EVENT is stored, served and delivered live
            try (Admin admin = Admin.create(s.kafka())) {
                io.nostrex.contract.TopicSetup.ensure(admin, io.nostrex.contract.Topics.all(2), (short) 1);
            }
            relay = Relay.all(s, io.nostrex.ops.Ops.create());
            EventSigner uma = EventSigner.random();
            try (WsClient reader = new WsClient(relay.gateways().get(0).port());
                 WsClient writer = new WsClient(relay.gateways().get(0).port())) {
                reader.send(Nostr.req("live", "{\"authors\":[\"" + uma.pubkey() + "\"]}"));
                reader.until(m -> Nostr.isEose(m, "live"), RelayIT.WAIT);
                Thread.sleep(1_000); // the subscription reaches the matcher
                Event e = uma.sign(1, List.of(), "over TLS and SCRAM");
                assertThat(RelayIT.publish(writer, e)).isEqualTo(Nostr.ok(e, true, ""));
                reader.until(m -> m.equals(Nostr.delivered("live", e)), RelayIT.WAIT);
                assertThat(RelayIT.query(writer, "stored", "{\"ids\":[\"" + e.id() + "\"]}")).hasSize(1);
            }
        } finally {
            if (relay != null) {
                relay.close();
            }
            kafka.close();
            TestInfra.deleteRecursively(dir);
        }
    }

    /** The KAFKA_* settings of a client of the TLS and SCRAM listener, with this password. */
    private static Map<String, String> secureClient(EmbeddedKafka kafka, Path truststore, String password) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.saslSslBootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"nostrex\" password=\"" + password + "\";",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", PASSWORD,
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
    }

    /** A key and self-signed certificate for 127.0.0.1 in {@code keystore}, the certificate alone in {@code truststore}. */
    static void makeCertificate(Path keystore, Path truststore, Path certificate) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        run(keytool, "-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", certificate.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
