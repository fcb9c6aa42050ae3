package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                          | none",
            "'duplicate: already have this event'       | duplicate",
            "'blocked: this event was deleted'          | blocked",
            "'rate-limited: slow down'                  | rate-limited",
            "'auth-required: this event is protected'   | auth-required",
            "'restricted: this relay does not support'  | restricted",
            "'pow: difficulty 3 is less than 8'         | pow",
            "'invalid: bad signature'                   | invalid",
            "'error: could not read stored events'      | error",
            "'mute: no one was listening'               | mute",
            "'npub1xyz: not a prefix'                   | other",
            "'free text without a prefix'               | other"})
    void prefixesAreTheNip01OnesAndNothingElse(String message, String prefix) {
        assertThat(GatewayMetrics.prefix(message)).isEqualTo(prefix);
    }

    @Test
    void verbsOutsideNip01CountAsInvalidSoTheLabelStaysBounded() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatewayMetrics m = GatewayMetrics.of(registry);

        m.clientMessage("REQ");
        m.clientMessage("HELLO");
        m.clientMessage("null");

        assertThat(registry.get("nostr.client.messages").tag("verb", "REQ").counter().count()).isEqualTo(1);
        assertThat(registry.get("nostr.client.messages").tag("verb", "invalid").counter().count()).isEqualTo(2);
    }

    @Test
    void twoGatewaysOfOneProcessAddUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        GatewayMetrics.of(registry).connectionOpened();
        GatewayMetrics.of(registry).connectionOpened();
        GatewayMetrics.of(registry).connectionClosed("slow_reader");

        assertThat(registry.get("nostrex.connections.open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("nostrex.connections.opened").counter().count()).isEqualTo(2);
        assertThat(registry.get("nostrex.connections.closed").tag("reason", "slow_reader").counter().count()).isEqualTo(1);
    }

    @Test
    void failureSeriesExistAtZeroBeforeTheFirstFailure() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        GatewayMetrics.of(registry);

        assertThat(registry.get("nostrex.ok").tag("accepted", "false").tag("prefix", "invalid").counter().count()).isZero();
        assertThat(registry.get("nostrex.connections.closed").tag("reason", "slow_reader").counter().count()).isZero();
        assertThat(registry.get("nostrex.closed").tag("prefix", "error").counter().count()).isZero();
    }
}
