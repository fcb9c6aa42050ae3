package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WarmupTest {
    /** The warm-up reaches its gateway where it listens: over loopback when it listens on every address. */
    @ParameterizedTest(name = "listening on ''{0}'': {1}")
    @CsvSource({
        "0.0.0.0, ws://127.0.0.1:7777/",
        "::, ws://127.0.0.1:7777/",
        "'', ws://127.0.0.1:7777/",
        "127.0.0.1, ws://127.0.0.1:7777/",
        "10.1.2.3, ws://10.1.2.3:7777/",
        "::1, ws://[::1]:7777/",
        "relay.internal, ws://relay.internal:7777/"
    })
    void url(String host, String url) {
        assertThat(Warmup.url(host, 7777)).hasToString(url);
    }
}
