package io.nostrex.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEphemeralTest {
    private static final Filter ANY = Filter.any();

    private static Event ping(int n) {
        return Fixtures.event(String.format("%064x", n), "a".repeat(64), 20001, 1_700_000_000L + n);
    }

    private static List<String> ids(List<RecentEphemeral.Entry> entries) {
        return entries.stream().map(e -> e.event().id()).toList();
    }

    @Test
    void replaysWhatWasHandledFromATimeOnOldestFirstAndOnlyWhatMatches() {
        RecentEphemeral recent = new RecentEphemeral();
        for (int i = 1; i <= 5; i++) {
            recent.add(1_000L * i, ping(i), "{\"n\":" + i + "}");
        }
        assertThat(ids(recent.matching(3_000, List.of(ANY)))).containsExactly(ping(3).id(), ping(4).id(), ping(5).id());
        assertThat(recent.matching(6_000, List.of(ANY))).isEmpty();
        Filter onlyFour = Fixtures.filter("{'ids':['" + ping(4).id() + "']}");
        Filter otherKind = Fixtures.filter("{'kinds':[20002]}");
        assertThat(ids(recent.matching(0, List.of(otherKind, onlyFour)))).containsExactly(ping(4).id());
    }

    @Test
    void forgetsEventsOlderThanTheRetention() {
        RecentEphemeral recent = new RecentEphemeral(10_000, Long.MAX_VALUE);
        recent.add(0, ping(1), "{}");
        recent.add(5_000, ping(2), "{}");
        recent.add(12_000, ping(3), "{}");
        assertThat(ids(recent.matching(0, List.of(ANY)))).containsExactly(ping(2).id(), ping(3).id());
    }

    @Test
    void keepsTheNewestWithinItsSizeBudget() {
        RecentEphemeral recent = new RecentEphemeral(Long.MAX_VALUE / 2, 25);
        for (int i = 1; i <= 4; i++) {
            recent.add(i, ping(i), "0123456789"); // 10 characters each: two fit
        }
        assertThat(recent.size()).isEqualTo(2);
        assertThat(ids(recent.matching(0, List.of(ANY)))).containsExactly(ping(3).id(), ping(4).id());
    }
}
