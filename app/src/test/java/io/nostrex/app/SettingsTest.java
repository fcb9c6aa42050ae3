package io.nostrex.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void partitionsAreTheCommandsDefaultUnlessSet() {
        assertThat(Settings.from(Map.of()).partitionsOr(1)).isEqualTo(1);
        assertThat(Settings.from(Map.of()).partitionsOr(RoleCommand.TopicsCommand.TOPICS_PARTITIONS)).isEqualTo(4);
        Settings six = Settings.from(Map.of("NOSTREX_PARTITIONS", "6"));
        assertThat(six.partitionsOr(1)).isEqualTo(6);
        assertThat(six.partitionsOr(RoleCommand.TopicsCommand.TOPICS_PARTITIONS)).isEqualTo(6);
    }

    @Test
    void partitionsBelowOneAreRefusedWithTheVariablesName() {
        assertThatThrownBy(() -> Settings.from(Map.of("NOSTREX_PARTITIONS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NOSTREX_PARTITIONS must be at least 1, got 0");
        assertThatThrownBy(() -> Settings.from(Map.of("NOSTREX_PARTITIONS", "four")))
                .hasMessage("NOSTREX_PARTITIONS must be an integer, got 'four'");
    }

    @Test
    void variablesNameEverySettingReadAndTheLoggingOnes() {
        assertThat(Settings.variables())
                .contains("NOSTREX_PORT", "NOSTREX_ADMIN_PORT", "DATABASE_URL", "DATABASE_PASSWORD",
                        "NOSTREX_INSTANCE_ID", "NOSTREX_STANDBY_REPLICAS", "NOSTREX_LOG_FORMAT", "NOSTREX_RELAY_NAME")
                .doesNotContain("KAFKA_BOOTSTRAP_SERVERS")
                .allMatch(name -> name.matches("[A-Z][A-Z0-9_]*"));
    }

    @Test
    void adminPortAndStandbyReplicasHaveDefaults() {
        Settings s = Settings.from(Map.of());
        assertThat(s.adminPort()).isEqualTo(Settings.DEFAULT_ADMIN_PORT);
        assertThat(s.standbyReplicas()).isZero();
        assertThat(Settings.from(Map.of("NOSTREX_ADMIN_PORT", "9100")).adminPort()).isEqualTo(9100);
    }

    @Test
    void accessSettingsAreReadAndBadOnesRefusedWithTheVariablesName() {
        Settings defaults = Settings.from(Map.of());
        assertThat(defaults.access().publicUrls()).isEmpty();
        assertThat(defaults.access().privateKinds()).containsExactlyInAnyOrder(4, 1059);
        assertThat(defaults.writeAccess().restricted()).isFalse();
        assertThat(defaults.access().restrictedWrites()).isFalse();

        String alice = "a".repeat(64);
        Settings set = Settings.from(Map.of("NOSTREX_PUBLIC_URL", "wss://relay.example.com, ws://10.0.0.1:7777",
                "NOSTREX_PRIVATE_KINDS", "4, 1059, 14", "NOSTREX_AUTH_REQUIRED", "true", "NOSTREX_ALLOWED_PUBKEYS", alice));
        assertThat(set.access().publicUrls()).containsExactly("wss://relay.example.com", "ws://10.0.0.1:7777");
        assertThat(set.access().privateKinds()).containsExactlyInAnyOrder(4, 14, 1059);
        assertThat(set.access().authRequired()).isTrue();
        assertThat(set.access().restrictedWrites()).isTrue();
        assertThat(set.writeAccess().allowedPubkeys()).containsExactly(alice);
        assertThat(Settings.from(Map.of("NOSTREX_PRIVATE_KINDS", "none")).access().privateKinds()).isEmpty();
        assertThat(Settings.from(Map.of("NOSTREX_ALLOWED_PUBKEYS", alice)).access().restrictedWrites()).isTrue();

        assertThatThrownBy(() -> Settings.from(Map.of("NOSTREX_PUBLIC_URL", "https://relay.example.com")))
                .hasMessage("not a ws:// or wss:// URL: 'https://relay.example.com'");
        assertThatThrownBy(() -> Settings.from(Map.of("NOSTREX_PRIVATE_KINDS", "4,dm")))
                .hasMessageStartingWith("NOSTREX_PRIVATE_KINDS must list kinds (0-65535)");
        assertThatThrownBy(() -> Settings.from(Map.of("NOSTREX_AUTH_REQUIRED", "sometimes")))
                .hasMessage("NOSTREX_AUTH_REQUIRED must be true or false, got 'sometimes'");
        assertThatThrownBy(() -> Settings.from(Map.of("NOSTREX_ALLOWED_PUBKEYS", "npub1abc")))
                .hasMessageStartingWith("NOSTREX_ALLOWED_PUBKEYS must list pubkeys as 64 lowercase hex");
    }

    @Test
    void okAfterIsStoredByDefaultLogOnRequestAndNothingElse() {
        assertThat(Settings.from(Map.of()).okAfterLog()).isFalse();
        assertThat(Settings.from(Map.of("NOSTREX_OK_AFTER", "stored")).okAfterLog()).isFalse();
        assertThat(Settings.from(Map.of("NOSTREX_OK_AFTER", "LOG")).okAfterLog()).isTrue();
        assertThatThrownBy(() -> Settings.from(Map.of("NOSTREX_OK_AFTER", "kafka")))
                .hasMessage("NOSTREX_OK_AFTER must be stored or log, got 'kafka'");
    }

    @Test
    void noSecretCanBeLoggedThroughToString() {
        Settings s = Settings.from(Map.of("DATABASE_URL", "jdbc:postgresql://db/nostrex?password=hunter2",
                "DATABASE_PASSWORD", "s3cret-db", "KAFKA_SASL_JAAS_CONFIG", "x password=\"s3cret-kafka\";",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
        assertThat(s.toString()).contains("kafka:9092").doesNotContain("s3cret-db", "s3cret-kafka", "hunter2");
    }

    @Test
    void theReadmeDocumentsEveryVariable() throws Exception {
        // Given the README's settings table
        java.nio.file.Path readme = io.nostrex.protocol.RepoFiles.find("README.md");
        String text = java.nio.file.Files.readString(readme);
        String settings = text.substring(text.indexOf("## Settings"), text.indexOf("## Deploy"));

        // Then every variable Nostrex reads is named there
        assertThat(Settings.variables()).allSatisfy(name -> assertThat(settings).contains(name));
    }
}
