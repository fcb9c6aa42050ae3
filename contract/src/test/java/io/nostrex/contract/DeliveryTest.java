package io.nostrex.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private static Headers header(String key, String json) {
        Headers h = new RecordHeaders();
        h.add(key, json.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private static Headers to(String json) {
        return header(Delivery.TO, json);
    }

    private static Headers ack(String json) {
        return header(Delivery.ACK, json);
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

    @Test
    void acksRoundTripWithTheirPartitionsOrWithout() throws ContractException {
        Delivery.Ack covering = new Delivery.Ack(7, "quoted \"id\"", 3, 4, Set.of(2, 0, 3), Set.of(0, 3));
        Headers h = new RecordHeaders();
        Delivery.writeAck(h, covering);
        assertThat(new String(h.lastHeader(Delivery.ACK).value(), StandardCharsets.UTF_8))
                .endsWith("\"v\":3,\"of\":4,\"owned\":[0,2,3],\"covered\":[0,3]}");
        assertThat(Delivery.readAck(h)).isEqualTo(covering);
        Delivery.writeAck(h, new Delivery.Ack(8, "plain", 1));
        assertThat(Delivery.readAck(h)).isEqualTo(new Delivery.Ack(8, "plain", 1, 0, Set.of(), Set.of()));
        assertThat(Delivery.readAck(new RecordHeaders())).as("an event delivery").isNull();
    }

    @Test
    void anAckFromAMatcherThatSaysNothingOfPartitionsReadsAsPartitionCountZero() throws ContractException {
        assertThat(Delivery.readAck(ack("{\"conn\":1,\"sub\":\"s\",\"v\":2}")))
                .isEqualTo(new Delivery.Ack(1, "s", 2));
    }

    @Test
    void malformedAcksAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Delivery.readAck(ack("{\"conn\":1,\"sub\":\"s\",\"v\":2,\"of\":2,\"owned\":[2]}")))
                .isInstanceOf(ContractException.class).hasMessageContaining("no partition 2 of 2");
        assertThatThrownBy(() -> Delivery.readAck(ack("{\"conn\":1,\"sub\":\"s\",\"v\":2,\"of\":2,\"covered\":1}")))
                .isInstanceOf(ContractException.class).hasMessageContaining("not a list");
        assertThatThrownBy(() -> Delivery.readAck(ack("{\"conn\":1,\"sub\":\"s\",\"v\":2,\"of\":-1}")))
                .isInstanceOf(ContractException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> Delivery.readAck(ack("{\"conn\":1,\"sub\":\"s\",\"v\":2,\"of\":2,\"owned\":[\"0\"]}")))
                .isInstanceOf(ContractException.class);
        assertThatThrownBy(() -> Delivery.readAck(ack("{\"conn\":1,"))).isInstanceOf(ContractException.class);
    }
}
