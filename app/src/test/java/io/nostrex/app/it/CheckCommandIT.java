package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code nostrex check}, the smoke test of a deployed relay (the Helm chart's test hook runs it). */
class CheckCommandIT {
    @Test
    void aWorkingRelayPassesEveryStep() throws Exception {
        // Given the shared relay
        int port = TestRelay.get().gatewayA().port();

        // When
        StringWriter out = new StringWriter();
        int status = run(out, "check", "--url", "ws://127.0.0.1:" + port + "/", "--timeout", "20");

        // Then
        assertThat(status).as(out.toString()).isZero();
        assertThat(out.toString().lines()).hasSize(5).allMatch(l -> l.startsWith("ok   "));
        assertThat(out.toString()).contains("NIP-11: Nostrex, software https://github.com/nostrex/nostrex")
                .contains("the note arrived live on the other connection")
                .contains("the note is served from stored history");
    }

    @Test
    void nothingListeningFailsAtTheFirstStepWithStatusOne() throws Exception {
        // Given a port nobody listens on
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }

        // When
        StringWriter out = new StringWriter();
        int status = run(out, "check", "--url", "ws://127.0.0.1:" + port + "/", "--timeout", "5");

        // Then
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).startsWith("FAIL NIP-11 at http://127.0.0.1:" + port + "/");
    }

    private static int run(StringWriter out, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(bytes, true));
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(out));
            return cl.execute(args);
        } finally {
            System.setOut(previous);
            out.write(bytes.toString());
        }
    }
}
