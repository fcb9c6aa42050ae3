package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    private static String id(int n) {
        return String.format("%064x", n);
    }

    @Test
    void heldEventsAreReleasedAfterHistoryWithoutThoseHistoryHad() {
        Subscription sub = new Subscription("s", 1, List.of());
        sub.hold(id(1), "one", 3);
        sub.hold(id(2), "two", 3);
        assertThat(sub.heldBytes()).isEqualTo(6);
        sub.historySent(Set.of(id(1)));
        assertThat(sub.releaseHeld()).containsExactly("two");
        assertThat(sub.heldBytes()).isZero();
        assertThat(sub.isNew(id(1))).as("sent as history").isFalse();
        assertThat(sub.isNew(id(2))).as("sent when released").isFalse();
        assertThat(sub.isNew(id(3))).isTrue();
    }

    @Test
    void beforeTheCatchUpEveryLiveEventIsRemembered() {
        Subscription sub = new Subscription("s", 1, List.of());
        sub.historySent(Set.of());
        assertThat(sub.isNew(id(7))).isTrue();
        assertThat(sub.isNew(id(7))).isFalse();
        int last = 100 + Subscription.MAX_SEEN;
        for (int i = 100; i <= last; i++) {
            assertThat(sub.isNew(id(i))).isTrue();
        }
        assertThat(sub.isNew(id(last))).as("a recent one is still known").isFalse();
        assertThat(sub.isNew(id(7))).as("forgotten after MAX_SEEN newer events").isTrue();
    }

    @Test
    void afterTheCatchUpHistoryStaysKnownAndLiveEventsOnlyInTheRecentRing() {
        Subscription sub = new Subscription("s", 1, List.of());
        sub.historySent(Set.of(id(1)));
        assertThat(sub.isNew(id(2))).as("sent live before the catch-up").isTrue();
        sub.caughtUp = true;
        assertThat(sub.isNew(id(2))).as("remembered from before the catch-up").isFalse();
        assertThat(sub.isNew(id(3))).isTrue();
        assertThat(sub.isNew(id(3))).as("in the recent ring").isFalse();
        for (int i = 100; i < 100 + Subscription.RECENT; i++) {
            assertThat(sub.isNew(id(i))).isTrue();
        }
        assertThat(sub.isNew(id(3))).as("pushed out of the ring by RECENT newer events").isTrue();
        assertThat(sub.isNew(id(1))).as("sent as history").isFalse();
        assertThat(sub.isNew(id(2))).as("sent before the catch-up").isFalse();
    }
    @Test
    void theAcksOfEveryMatcherTogetherSayWhenNothingIsMissingOrAQueryIsNeeded() {
        // Given four partitions, handled by two matchers
        Subscription sub = new Subscription("s", 1, List.of());
        // When the first acks for its two partitions, both replayed
        assertThat(sub.acknowledgedBy(4, Set.of(0, 1), Set.of(0, 1))).isEqualTo(Subscription.Coverage.PENDING);
        // Then the second's ack completes the set: replayed everywhere, no query
        assertThat(sub.acknowledgedBy(4, Set.of(2, 3), Set.of(2, 3))).isEqualTo(Subscription.Coverage.REPLAYED);

        // Given a matcher whose window did not reach back to the REQ for one partition
        Subscription partly = new Subscription("p", 1, List.of());
        assertThat(partly.acknowledgedBy(4, Set.of(0, 1), Set.of(0))).isEqualTo(Subscription.Coverage.PENDING);
        // Then once every partition is matched live, a catch-up query is what remains
        assertThat(partly.acknowledgedBy(4, Set.of(2, 3), Set.of(2, 3))).isEqualTo(Subscription.Coverage.LIVE);

        // And a partition no matcher holds yet (a rebalance) keeps it pending: the ack timeout decides
        Subscription moving = new Subscription("m", 1, List.of());
        assertThat(moving.acknowledgedBy(3, Set.of(0), Set.of(0))).isEqualTo(Subscription.Coverage.PENDING);
        assertThat(moving.acknowledgedBy(3, Set.of(), Set.of())).isEqualTo(Subscription.Coverage.PENDING);
        // while the same partition named by two matchers (one losing it, one taking it) counts once
        assertThat(moving.acknowledgedBy(3, Set.of(0, 1), Set.of(1))).isEqualTo(Subscription.Coverage.PENDING);
        assertThat(moving.acknowledgedBy(3, Set.of(2), Set.of(2))).isEqualTo(Subscription.Coverage.REPLAYED);
    }

    @Test
    void aLiveMatchAtOrBelowTheLastOffsetOfItsPartitionIsARepeat() {
        Subscription sub = new Subscription("s", 1, List.of(io.nostrex.protocol.Filter.any()));
        // Given live matches from two partitions
        assertThat(sub.advance(0, 10)).isTrue();
        assertThat(sub.advance(3, 4)).isTrue();
        assertThat(sub.advance(0, 11)).isTrue();
        // When a matcher that crashed matches partition 0 again from its last commit
        // Then what was sent is dropped, and what comes after goes out; the other partition is its own
        assertThat(sub.advance(0, 10)).isFalse();
        assertThat(sub.advance(0, 11)).isFalse();
        assertThat(sub.advance(0, 12)).isTrue();
        assertThat(sub.advance(3, 2)).isFalse();
        assertThat(sub.advance(3, 5)).isTrue();
        // And a partition beyond those seen so far starts from nothing
        assertThat(sub.advance(40, 0)).isTrue();
        assertThat(sub.advance(40, 0)).isFalse();
        assertThat(sub.advance(0, 12)).isFalse();
    }
}
