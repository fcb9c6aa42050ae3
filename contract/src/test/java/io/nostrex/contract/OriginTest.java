package io.nostrex.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OriginTest {
    @Test
    void roundTripsThroughHeadersWithItsAddress() {
        Headers h = new RecordHeaders();
        new Origin("gw-a", 7, 1_700_000_000_123L, "203.0.113.9").writeTo(h);
        assertThat(Origin.readFrom(h)).isEqualTo(new Origin("gw-a", 7, 1_700_000_000_123L, "203.0.113.9"));
        assertThat(new String(h.lastHeader(Origin.ADDRESS).value(), StandardCharsets.UTF_8)).isEqualTo("203.0.113.9");
    }

    @Test
    void withoutTheAddressNoAddressHeaderIsWritten() {
        Headers h = new RecordHeaders();
        new Origin("gw-a", 7, 42, "203.0.113.9").withoutAddress().writeTo(h);
        assertThat(h.lastHeader(Origin.ADDRESS)).isNull();
        assertThat(Origin.readFrom(h)).isEqualTo(new Origin("gw-a", 7, 42, null));
    }

    @Test
    void authenticatedPubkeysTravelOnIngressButNotOnTheLog() {
        String alice = "a".repeat(64);
        String bob = "b".repeat(64);
        Headers h = new RecordHeaders();
        Origin origin = new Origin("gw-a", 7, 42, "203.0.113.9", java.util.Set.of(bob, alice));
        origin.writeTo(h);
        assertThat(new String(h.lastHeader(Origin.AUTH).value(), StandardCharsets.UTF_8)).isEqualTo(alice + "," + bob);
        assertThat(Origin.readFrom(h)).isEqualTo(origin);

        Headers log = new RecordHeaders();
        origin.withoutAddress().writeTo(log);
        assertThat(log.lastHeader(Origin.AUTH)).isNull();
        assertThat(Origin.readFrom(log).authenticated()).isEmpty();
    }

    @Test
    void noGatewayOrAMalformedNumberIsNoOrigin() {
        assertThat(Origin.readFrom(new RecordHeaders())).isNull();
        Headers h = new RecordHeaders();
        h.add(Origin.GATEWAY, "gw-a".getBytes(StandardCharsets.UTF_8));
        h.add(Origin.CONNECTION, "seven".getBytes(StandardCharsets.UTF_8));
        assertThat(Origin.readFrom(h)).isNull();
    }
}
