package io.nostrex.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.contract.ContractException;
import io.nostrex.contract.Delivery;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class GatherTest {
    private static final String[] GATEWAYS = {"gw-a", "gw-b"};

    private static LiveSubscription subscription(int gateway, long connection, String id, int slot) {
        LiveSubscription sub = new LiveSubscription(Fixtures.sub(GATEWAYS[gateway], connection, id, 1, "{'kinds':[1]}"));
        sub.gatewayIndex = gateway;
        sub.slot = slot;
        return sub;
    }

    private static List<Delivery.Target> targets(Map<String, List<byte[]>> routing, String gateway) throws ContractException {
        assertThat(routing.get(gateway)).hasSize(1);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Delivery.TO, routing.get(gateway).get(0));
        return Delivery.readTargets(headers);
    }

    @Test
    void stampsFromBeforeTheCounterWrappedAroundAreNotTakenForCurrentOnes() throws ContractException {
        LiveSubscription a = subscription(0, 1, "a", 0);
        LiveSubscription b = subscription(1, 2, "b", 1);
        Gather gather = new Gather(1000);
        // Given a match, counted 1, that reached gateway a and subscription a
        gather.begin();
        gather.hit(a);
        assertThat(targets(gather.routing(GATEWAYS), "gw-a")).containsExactly(new Delivery.Target(1, List.of("a")));
        // and 2^32 - 2 matches later, none of which reached them, the last match before the wrap
        gather.epoch(-2);
        gather.begin();
        gather.hit(b);
        assertThat(gather.routing(GATEWAYS)).containsOnlyKeys("gw-b");
        // When the counter wraps around to 1 again
        gather.begin();
        gather.hit(a);
        gather.hit(a);
        // Then gateway a gets subscription a once, as in any other match
        assertThat(targets(gather.routing(GATEWAYS), "gw-a")).containsExactly(new Delivery.Target(1, List.of("a")));
    }
}
