package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Filter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveSubscriptionsTest {
    private static final String KEY = "ab".repeat(32);

    private static Filter filter(Set<String> ids, Set<String> authors, Set<Integer> kinds) {
        return new Filter(ids, authors, kinds, Map.of(), null, null, null, null);
    }

    @Test
    void filtersThatCouldMatchAnEphemeralEventAreRegisteredAtOnce() {
        assertThat(LiveSubscriptions.mayMatchEphemeral(List.of(filter(null, Set.of(KEY), null)))).isTrue();
        assertThat(LiveSubscriptions.mayMatchEphemeral(List.of(filter(null, null, Set.of(1, 24133))))).isTrue();
        assertThat(LiveSubscriptions.mayMatchEphemeral(List.of(filter(null, null, Set.of(1)),
                filter(null, Set.of(KEY), Set.of(20000))))).isTrue();
    }

    @Test
    void storedKindsIdsAndEmptyFiltersWaitForEose() {
        assertThat(LiveSubscriptions.mayMatchEphemeral(List.of(filter(null, Set.of(KEY), Set.of(0, 1, 7, 30023))))).isFalse();
        assertThat(LiveSubscriptions.mayMatchEphemeral(List.of(filter(Set.of(KEY), null, null)))).isFalse();
        assertThat(LiveSubscriptions.mayMatchEphemeral(List.of(filter(null, null, Set.of())))).isFalse();
        assertThat(LiveSubscriptions.mayMatchEphemeral(List.of(filter(null, null, Set.of(19999, 30000))))).isFalse();
    }
}
