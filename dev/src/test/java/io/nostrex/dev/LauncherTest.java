package io.nostrex.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Main;
import io.nostrex.app.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherTest {
    @Test
    void theLauncherHasDevAndTheAppDoesNot() {
        assertThat(Main.commandLine().getSubcommands()).doesNotContainKey("dev")
                .containsKeys("gateway", "validator", "matcher", "archiver", "topics", "verify");
        assertThat(Launcher.commandLine().getSubcommands()).containsKey("dev")
                .containsKeys("gateway", "validator", "matcher", "archiver", "topics", "verify");
    }

    @Test
    void devCreatesOnePartitionPerTopicUnlessTold() {
        assertThat(Settings.from(Map.of()).partitionsOr(DevCommand.DEV_PARTITIONS)).isEqualTo(1);
        assertThat(Settings.from(Map.of("NOSTREX_PARTITIONS", "3")).partitionsOr(DevCommand.DEV_PARTITIONS)).isEqualTo(3);
    }
}
