package io.nostrex.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private static Headers to(String json) {
        Headers h = new RecordHeaders();
        h.add(Delivery.TO, json.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    @Test
    void targetsRoundTrip() throws ContractException {
        List<Delivery.Target> targets = List.of(
                new Delivery.Target(7, List.of("feed", "quoted \"id\" \u00e9")),
                new Delivery.Target(Long.MAX_VALUE, List.of("x")));
        Headers h = new RecordHeaders();
        Delivery.writeTargets(h, targets);
        assertThat(Delivery.readTargets(h)).isEqualTo(targets);
        Delivery.writeTargets(h, List.of());
        assertThat(Delivery.readTargets(h)).as("the last header counts").isEmpty();
    }

    @Test
    void singleTargetsJoinedByCommasAreAHeaderValue() throws ContractException {
        // Given the ready-made targets of two subscriptions, one id needing escapes, and one of the same connection
        byte[] a = Delivery.target(7, "quoted \"id\" \u00e9");
        byte[] b = Delivery.target(Long.MAX_VALUE, "x");
        byte[] c = Delivery.target(7, "feed");
        // When joined the way the matcher joins them
        String joined = "[" + new String(a, StandardCharsets.UTF_8) + "," + new String(b, StandardCharsets.UTF_8)
                + "," + new String(c, StandardCharsets.UTF_8) + "]";
        // Then the gateway reads each, the connection coming twice
        assertThat(Delivery.readTargets(to(joined))).containsExactly(
                new Delivery.Target(7, List.of("quoted \"id\" \u00e9")),
                new Delivery.Target(Long.MAX_VALUE, List.of("x")),
                new Delivery.Target(7, List.of("feed")));
    }

    @Test
    void noHeaderMeansNoTargets() throws ContractException {
        assertThat(Delivery.readTargets(new RecordHeaders())).isEmpty();
    }

    @Test
    void malformedTargetsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Delivery.readTargets(to("{}"))).isInstanceOf(ContractException.class)
                .hasMessageContaining("not an array");
        assertThatThrownBy(() -> Delivery.readTargets(to("[[\"a\",\"b\"]]"))).isInstanceOf(ContractException.class)
                .hasMessageContaining("connection number");
        assertThatThrownBy(() -> Delivery.readTargets(to("[[1,2]]"))).isInstanceOf(ContractException.class)
                .hasMessageContaining("not a string");
        assertThatThrownBy(() -> Delivery.readTargets(to("[[1]]"))).isInstanceOf(ContractException.class)
                .hasMessageContaining("without subscription ids");
        assertThatThrownBy(() -> Delivery.readTargets(to("[[1,\"a\"],3]"))).isInstanceOf(ContractException.class)
                .hasMessageContaining("not an array");
        assertThatThrownBy(() -> Delivery.readTargets(to("[[1,\"a\"]] []"))).isInstanceOf(ContractException.class);
        assertThatThrownBy(() -> Delivery.readTargets(to("[[1,\"a\"]"))).isInstanceOf(ContractException.class);
    }
}
