package io.nostrex.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaPortTest {
    @Test
    void freePortsComeFromBelowTheEphemeralRangeAndAreBindable() throws Exception {
        for (int i = 0; i < 20; i++) {
            int port = EmbeddedKafka.freePort();
            assertThat(port).isBetween(EmbeddedKafka.FREE_PORTS_FROM, EmbeddedKafka.FREE_PORTS_TO - 1);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
