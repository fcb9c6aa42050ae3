package io.nostrex.loadtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineHopsTest {
    private static final long MS = 1_000_000L;

    @Test
    void eachEventCountsInTheHopsItMade() {
        PipelineHops.Times t = new PipelineHops.Times(
                Map.of("a", 1_000L, "b", 2_000L, "c", 3_000L),
                Map.of("a", 1_001L, "b", 2_002L, "c", 3_000L),
                Map.of("a", 1_005L, "b", 2_010L),           // c was rejected: no nostr.events record
                Map.of("a", 1_020L));                       // b is not stored yet
        Map<String, Latencies.Summary> hops = PipelineHops.of(t, null);
        assertThat(hops.keySet()).containsExactly("receive->ingress", "ingress->events", "events->stored", "receive->stored");
        assertThat(hops.get("receive->ingress").count()).isEqualTo(3);
        assertThat(hops.get("receive->ingress").max()).isEqualTo(2 * MS);
        assertThat(hops.get("ingress->events").count()).isEqualTo(2);
        assertThat(hops.get("ingress->events").max()).isEqualTo(8 * MS);
        assertThat(hops.get("events->stored").count()).isEqualTo(1);
        assertThat(hops.get("events->stored").p50()).isEqualTo(15 * MS);
        assertThat(hops.get("receive->stored").p50()).isEqualTo(20 * MS);
    }

    @Test
    void onlyTheChosenEventsWhenAsked() {
        PipelineHops.Times t = new PipelineHops.Times(Map.of("a", 0L, "b", 0L), Map.of("a", 3L, "b", 7L),
                Map.of(), Map.of());
        assertThat(PipelineHops.of(t, Set.of("b")).get("receive->ingress").max()).isEqualTo(7 * MS);
        assertThat(PipelineHops.of(t, Set.of()).get("receive->ingress").count()).isZero();
    }
}
