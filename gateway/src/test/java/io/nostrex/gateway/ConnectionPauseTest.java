package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionPauseTest {
    /**
     * A connection paused again and again waits twice as long each time, up to 16 s, and each pause is
     * drawn within a quarter of its length, so that connections paused together are not read together.
     */
    @ParameterizedTest(name = "paused {0} times before, random {1}: {2} ms")
    @CsvSource({
        "0, 0.5, 1000", "1, 0.5, 2000", "2, 0.5, 4000", "3, 0.5, 8000", "4, 0.5, 16000",
        "40, 0.5, 16000", // no further than 16 s, and no overflow
        "0, 0.0, 750", "0, 0.999999, 1250", "4, 0.0, 12000", "4, 0.999999, 20000"
    })
    void pauseLength(int before, double random, long millis) {
        assertThat(Connection.pauseMillis(before, random)).isEqualTo(millis);
    }
}
