package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private static GatewayConfig.Hygiene invalidPerSecond(int n) {
        GatewayConfig.Hygiene d = GatewayConfig.Hygiene.defaults();
        return new GatewayConfig.Hygiene(d.maxConnections(), d.maxConnectionsPerIp(), d.maxMessagesPerIpPerSecond(),
                d.gateways(), d.idleTimeoutSeconds(), d.clientIpHeader(), n);
    }

    @Test
    void theConnectionsOfAnAddressShareItsAllowanceOfInvalidMessages() {
        ClientAddresses addresses = new ClientAddresses(invalidPerSecond(100));
        ClientAddresses.InvalidAllowance first = addresses.connected("192.0.2.1");
        ClientAddresses.InvalidAllowance second = addresses.connected("192.0.2.1");
        ClientAddresses.InvalidAllowance other = addresses.connected("192.0.2.2");
        // a burst of twice the rate, spent by the address's two connections together
        int taken = 0;
        while (taken < 1_000 && (taken % 2 == 0 ? first : second).tryConsume()) {
            taken++;
        }
        assertThat(taken).isBetween(200, 210); // 200, and what refills while the loop runs
        assertThat(other.tryConsume()).as("another address has its own").isTrue();
    }

    @Test
    void addressesTogetherGetTheGatewaysAllowanceAndNoMore() {
        // Given 1 invalid message a second per address (2 in a burst), so 10 a second for the gateway (20 in a burst)
        ClientAddresses addresses = new ClientAddresses(invalidPerSecond(1));
        long start = System.nanoTime();
        int taken = 0;
        for (int a = 0; a < 30; a++) {
            ClientAddresses.InvalidAllowance allowance = addresses.connected("198.51.100." + a);
            for (int i = 0; i < 2; i++) {
                if (allowance.tryConsume()) {
                    taken++;
                }
            }
        }
        // Then thirty addresses, each within its own burst, get the gateway's burst between them
        long refilled = (System.nanoTime() - start) / 100_000_000L; // one a tenth of a second
        assertThat(taken).isBetween(20, 20 + (int) refilled);
    }

    @Test
    void reconnectingDoesNotRefillAnAddressesAllowance() {
        ClientAddresses addresses = new ClientAddresses(invalidPerSecond(1));
        ClientAddresses.InvalidAllowance spent = addresses.connected("192.0.2.9");
        assertThat(spent.tryConsume()).isTrue();
        assertThat(spent.tryConsume()).isTrue();
        // When its only connection closes and it connects again while it still owes
        addresses.disconnected("192.0.2.9");
        addresses.forgetRested();
        ClientAddresses.InvalidAllowance again = addresses.connected("192.0.2.9");
        // Then it has the allowance it left with, not a new one
        assertThat(again).isSameAs(spent);
        assertThat(addresses.addresses()).isOne();
        // And an address that owes nothing is forgotten with its last connection
        addresses.connected("192.0.2.10");
        addresses.disconnected("192.0.2.10");
        assertThat(addresses.addresses()).isOne();
    }

    @Test
    void noAllowanceWhenTheLimitIsOff() {
        assertThat(new ClientAddresses(invalidPerSecond(0)).connected("192.0.2.1")).isNull();
    }
}
