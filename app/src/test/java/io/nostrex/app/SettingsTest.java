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
    void theReadmeDocumentsEveryVariable() throws Exception {
        // Given the README's settings table
        java.nio.file.Path readme = io.nostrex.protocol.RepoFiles.find("README.md");
        String text = java.nio.file.Files.readString(readme);
        String settings = text.substring(text.indexOf("## Settings"), text.indexOf("## Deploy"));

        // Then every variable Nostrex reads is named there
        assertThat(Settings.variables()).allSatisfy(name -> assertThat(settings).contains(name));
    }
}
