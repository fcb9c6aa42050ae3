package io.nostrex.loadtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Argument handling of the bench modes, without a relay: defaults, checks, usage errors. */
class BenchArgsTest {

    static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void publishDefaults() {
        PublishCommand c = parse(new PublishCommand());
        c.validate();
        assertThat(c.plan()).isEqualTo(new PublishRun.Plan(8, 32, 0, null, Duration.ofSeconds(30)));
        assertThat(c.events).isEqualTo(100_000);
        assertThat(c.kinds).containsExactly(1);
        assertThat(c.options.target().toString()).isEqualTo("ws://127.0.0.1:7777/");
    }

    @Test
    void publishOptions() {
        PublishCommand c = parse(new PublishCommand(), "--connections", "2", "--in-flight", "4", "--duration", "1.5",
                "--rate", "300", "--kinds", "1,1,7,30023", "--url", "ws://localhost:7788", "--timeout", "5");
        c.validate();
        assertThat(c.plan()).isEqualTo(new PublishRun.Plan(2, 4, 300, Duration.ofMillis(1500), Duration.ofSeconds(5)));
        assertThat(c.kinds).containsExactly(1, 1, 7, 30023);
        assertThat(c.options.target().toString()).isEqualTo("ws://localhost:7788/");
    }

    @Test
    void fanoutQueryAndIdleDefaults() {
        FanoutCommand f = parse(new FanoutCommand());
        f.validate();
        assertThat(f.plan()).isEqualTo(new FanoutRun.Plan(1000, 50, Duration.ofSeconds(10), 100, Duration.ofSeconds(30), null));
        QueryCommand q = parse(new QueryCommand());
        q.validate();
        assertThat(q.plan()).isEqualTo(new QueryRun.Plan(8, 100, Duration.ofSeconds(10), Duration.ofSeconds(30)));
        assertThat(q.preload).isZero();
        FanoutCommand settled = parse(new FanoutCommand(), "--settle=2.5");
        settled.validate();
        assertThat(settled.plan().settle()).isEqualTo(Duration.ofMillis(2500));
        IdleCommand i = parse(new IdleCommand());
        i.validate();
        assertThat(i.plan()).isEqualTo(new IdleRun.Plan(10_000, Duration.ofSeconds(10), 200, Duration.ofSeconds(30), null));
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "--url=ws://10.1.2.3:7777/|is not on this machine",
            "--url=http://127.0.0.1:7777/|must start with ws:// or wss://",
            "--url=ws:///nohost|has no host",
            "--connections=0|--connections must be positive",
            "--in-flight=-1|--in-flight must be positive",
            "--rate=-5|--rate must be at least 0",
            "--duration=0|--duration must be positive",
            "--kinds=1,70000|--kinds must be kinds between 0 and 65535",
            "--timeout=0|--timeout must be positive",
            "--relay-pid=999999999|cannot read /proc/999999999/status"})
    void publishRefuses(String arg, String message) {
        PublishCommand c = parse(new PublishCommand(), arg);
        assertThatThrownBy(c::validate).isInstanceOf(ParameterException.class).hasMessageContaining(message);
    }

    @Test
    void aRemoteRelayNeedsAllowRemote() {
        PublishCommand c = parse(new PublishCommand(), "--url", "wss://10.1.2.3/", "--allow-remote");
        c.validate();
        assertThat(c.options.target().getHost()).isEqualTo("10.1.2.3");
    }

    @ParameterizedTest(name = "{0} {1} is refused")
    @CsvSource({"fanout,--subscribers=0", "fanout,--rate=0", "fanout,--settle=-1", "query,--limit=0", "query,--preload=-1",
            "idle,--connections=0", "idle,--hold=-1", "query,--url=ws://10.0.0.1/"})
    void usageErrorsExitWithStatus2BeforeConnecting(String mode, String arg) {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err)).execute(mode, arg);
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isNotBlank();
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        int status = new CommandLine(new BenchCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("publish", "--no-such-option");
        assertThat(status).isEqualTo(2);
    }

    @Test
    void theModesAreListed() {
        CommandLine cl = new CommandLine(new BenchCommand());
        assertThat(cl.getSubcommands().keySet()).containsAll(List.of("publish", "fanout", "query", "idle"));
    }
}
