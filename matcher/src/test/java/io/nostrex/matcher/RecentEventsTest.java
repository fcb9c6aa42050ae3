package io.nostrex.matcher;

import static io.nostrex.matcher.Fixtures.ALICE;
import static io.nostrex.matcher.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentEventsTest {
    private static final Filter ANY = Filter.any();

    private static Event event(int n, String author, int kind, String... tags) {
        return Fixtures.event(String.format("%064x", n), author, kind, 1_700_000_000L + n, tags);
    }

    private static List<String> ids(List<RecentWindow.Entry> entries) {
        return entries.stream().map(e -> e.event().id()).toList();
    }

    private static List<String> ids(Event... events) {
        return java.util.Arrays.stream(events).map(Event::id).toList();
    }

    @Test
    void replaysWhatWasHandledFromATimeOnOldestFirstAndOnlyWhatMatches() {
        RecentEvents recent = new RecentEvents();
        RecentWindow w = recent.open(0, 0);
        for (int i = 1; i <= 5; i++) {
            w.add(1_000L * i, event(i, ALICE, 1), "{\"n\":" + i + "}");
        }
        assertThat(ids(w.replay(3_000, List.of(ANY)))).containsExactlyElementsOf(ids(event(3, ALICE, 1),
                event(4, ALICE, 1), event(5, ALICE, 1)));
        assertThat(w.replay(6_000, List.of(ANY))).isEmpty();
        Filter onlyFour = Fixtures.filter("{'ids':['" + event(4, ALICE, 1).id() + "']}");
        Filter otherKind = Fixtures.filter("{'kinds':[20002]}");
        assertThat(ids(w.replay(0, List.of(otherKind, onlyFour)))).containsExactlyElementsOf(ids(event(4, ALICE, 1)));
    }

    @Test
    void everyFieldOfAFilterIsCheckedWhicheverListIsRead() {
        RecentWindow w = new RecentEvents().open(0, 0);
        Event aliceTagged = event(1, ALICE, 1, "t:nostr", "p:" + BOB);
        Event aliceOther = event(2, ALICE, 7, "t:other");
        Event bobTagged = event(3, BOB, 1, "t:nostr", "t:nostr");
        Event bobLong = event(4, BOB, 30023, "d:x", "t:nostr");
        long t = 0;
        for (Event e : List.of(aliceTagged, aliceOther, bobTagged, bobLong)) {
            w.add(++t, e, "{}");
        }
        assertThat(ids(w.replay(0, List.of(Fixtures.filter("{'authors':['$ALICE'],'#t':['nostr']}")))))
                .containsExactlyElementsOf(ids(aliceTagged));
        assertThat(ids(w.replay(0, List.of(Fixtures.filter("{'kinds':[1],'#t':['nostr']}")))))
                .containsExactlyElementsOf(ids(aliceTagged, bobTagged));
        assertThat(ids(w.replay(0, List.of(Fixtures.filter("{'#t':['nostr'],'#d':['x']}")))))
                .containsExactlyElementsOf(ids(bobLong));
        assertThat(ids(w.replay(0, List.of(Fixtures.filter("{'#p':['$BOB']}"), Fixtures.filter("{'kinds':[1]}")))))
                .as("an event two filters match comes once").containsExactlyElementsOf(ids(aliceTagged, bobTagged));
        assertThat(w.replay(0, List.of(Fixtures.filter("{'#t':['absent']}"), Fixtures.filter("{'kinds':[]}")))).isEmpty();
        assertThat(ids(w.replay(0, List.of(Fixtures.filter("{'since':" + (1_700_000_000L + 3) + "}")))))
                .containsExactlyElementsOf(ids(bobTagged, bobLong));
    }

    @Test
    void replayIsTheSameAsMatchingEveryEventForRandomFilters() {
        Random random = new Random(42);
        String[] authors = {ALICE, BOB, Fixtures.CAROL};
        String[] topics = {"a", "b", "c", "d"};
        RecentWindow w = new RecentEvents(1_000_000, Long.MAX_VALUE).open(0, 0);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Event e = event(i, authors[random.nextInt(3)], 1 + random.nextInt(3),
                    "t:" + topics[random.nextInt(4)], "t:" + topics[random.nextInt(4)]);
            events.add(e);
            w.add(i, e, "{}");
        }
        for (int round = 0; round < 200; round++) {
            StringBuilder json = new StringBuilder("{");
            if (random.nextBoolean()) {
                json.append("'authors':['").append(authors[random.nextInt(3)]).append("'],");
            }
            if (random.nextBoolean()) {
                json.append("'kinds':[").append(1 + random.nextInt(3)).append(",").append(1 + random.nextInt(3)).append("],");
            }
            if (random.nextBoolean()) {
                json.append("'#t':['").append(topics[random.nextInt(4)]).append("'],");
            }
            Filter f = Fixtures.filter(json.append("'limit':1}").toString());
            int from = random.nextInt(500);
            List<String> expected = events.subList(from, events.size()).stream().filter(f::matches).map(Event::id).toList();
            assertThat(ids(w.replay(from, List.of(f)))).as(json.toString()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aWindowCoversOnlyFromItsStartAndAfterWhatItEvicted() {
        RecentEvents recent = new RecentEvents(10_000, Long.MAX_VALUE);
        RecentWindow w = recent.open(3, 1_000);
        assertThat(w.covers(999)).as("before the task started").isFalse();
        assertThat(w.covers(1_000)).isTrue();
        w.add(1_000, event(1, ALICE, 1), "{}");
        w.add(5_000, event(2, ALICE, 1), "{}");
        w.add(12_000, event(3, ALICE, 1), "{}");
        // the first is past the retention: evicted, so the window is complete only after it
        assertThat(w.size()).isEqualTo(2);
        assertThat(w.covers(1_000)).isFalse();
        assertThat(w.replay(1_000, List.of(ANY))).as("not covered: no replay").isNull();
        assertThat(w.covers(1_001)).isTrue();
        assertThat(ids(w.replay(1_001, List.of(ANY)))).containsExactlyElementsOf(ids(event(2, ALICE, 1), event(3, ALICE, 1)));
    }

    @Test
    void theWindowsShareOneSizeBudgetAndEachEvictsItsOwnOldest() {
        RecentEvents recent = new RecentEvents(Long.MAX_VALUE / 2, 25);
        RecentWindow quiet = recent.open(0, 0);
        RecentWindow busy = recent.open(1, 0);
        quiet.add(1, event(1, ALICE, 1), "0123456789"); // 10 characters each
        for (int i = 2; i <= 5; i++) {
            busy.add(i, event(i, BOB, 1), "0123456789");
        }
        assertThat(recent.chars()).isLessThanOrEqualTo(25);
        assertThat(quiet.size()).isEqualTo(1);
        assertThat(ids(busy.replay(5, List.of(ANY)))).containsExactlyElementsOf(ids(event(5, BOB, 1)));
        assertThat(busy.covers(4)).isFalse();
        assertThat(busy.covers(5)).isTrue();
        // a closed task gives its share back
        recent.close(quiet);
        assertThat(recent.chars()).isEqualTo(10);
    }

    @Test
    void aReplaySaysWhichPartitionsAreHeldAndWhichItCovered() {
        RecentEvents recent = new RecentEvents();
        RecentWindow early = recent.open(2, 1_000);
        RecentWindow late = recent.open(0, 5_000);
        early.add(6_000, event(1, ALICE, 1), "{}");
        late.add(6_000, event(2, ALICE, 1), "{}");
        RecentEvents.Replay replay = recent.replay(2_000, List.of(ANY));
        assertThat(replay.owned()).containsExactly(0, 2);
        assertThat(replay.covered()).as("partition 0 came here after the time asked for").containsExactly(2);
        assertThat(ids(replay.events())).as("but what it holds since it came is replayed")
                .containsExactlyInAnyOrderElementsOf(ids(event(1, ALICE, 1), event(2, ALICE, 1)));
        // a reopened partition (its task moved away and back) starts over
        RecentWindow again = recent.open(2, 7_000);
        assertThat(early.covers(2_000)).isFalse();
        assertThat(recent.replay(2_000, List.of(ANY)).covered()).isEmpty();
        recent.close(late);
        recent.close(early); // already replaced: closing it leaves the new one
        assertThat(recent.replay(7_000, List.of(ANY)).owned()).isEqualTo(Set.of(2));
        assertThat(again.covers(7_000)).isTrue();
    }
}
