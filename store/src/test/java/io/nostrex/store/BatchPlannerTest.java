package io.nostrex.store;

import static io.nostrex.store.StoreOutcome.DELETED;
import static io.nostrex.store.StoreOutcome.DUPLICATE;
import static io.nostrex.store.StoreOutcome.EPHEMERAL;
import static io.nostrex.store.StoreOutcome.REPLACED_BY_NEWER;
import static io.nostrex.store.StoreOutcome.STORED;
import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.BOB;
import static io.nostrex.store.TestEvents.event;
import static io.nostrex.store.TestEvents.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The batch rules in memory, against an empty database unless a snapshot is given. */
class BatchPlannerTest {

    private static BatchPlan plan(Event... batch) {
        return BatchPlanner.plan(List.of(batch), Snapshot.empty());
    }

    private static List<String> insertedIds(BatchPlan plan) {
        return plan.inserts().stream().map(Event::id).toList();
    }

    @Test
    void newEventIsStoredAndRecorded() {
        Event e = event().build();
        BatchPlan plan = plan(e);
        assertThat(plan.outcomes()).containsExactly(STORED);
        assertThat(plan.newIds()).containsExactly(e);
        assertThat(plan.inserts()).containsExactly(e);
    }

    @Test
    void repeatInBatchIsDuplicate() {
        Event e = event().build();
        BatchPlan plan = plan(e, e);
        assertThat(plan.outcomes()).containsExactly(STORED, DUPLICATE);
        assertThat(plan.inserts()).containsExactly(e);
    }

    @Test
    void knownIdIsDuplicateAndWritesNothing() {
        Event e = event().build();
        BatchPlan plan = BatchPlanner.plan(List.of(e), new Snapshot(Set.of(e.id()), Map.of(), Map.of(), Map.of(), Map.of()));
        assertThat(plan.outcomes()).containsExactly(DUPLICATE);
        assertThat(plan.newIds()).isEmpty();
        assertThat(plan.inserts()).isEmpty();
    }

    @Test
    void ephemeralIsNeverStored() {
        BatchPlan plan = plan(event().kind(20001).build());
        assertThat(plan.outcomes()).containsExactly(EPHEMERAL);
        assertThat(plan.newIds()).isEmpty();
        assertThat(plan.inserts()).isEmpty();
    }

    @Test
    void replaceableInOrderKeepsOnlyTheNewest() {
        Event old = event().kind(0).at(100).build();
        Event newer = event().kind(0).at(200).build();
        BatchPlan plan = plan(old, newer);
        assertThat(plan.outcomes()).containsExactly(STORED, STORED);
        assertThat(plan.inserts()).containsExactly(newer);
        assertThat(plan.newIds()).containsExactly(old, newer);
    }

    @Test
    void replaceableOutOfOrderRefusesTheOlder() {
        Event newer = event().kind(10002).at(200).build();
        Event old = event().kind(10002).at(100).build();
        BatchPlan plan = plan(newer, old);
        assertThat(plan.outcomes()).containsExactly(STORED, REPLACED_BY_NEWER);
        assertThat(plan.inserts()).containsExactly(newer);
    }

    @Test
    void tieOnCreatedAtKeepsTheLowestIdWhateverTheOrder() {
        Event low = event().kind(3).id(id(1)).build();
        Event high = event().kind(3).id(id(2)).build();
        assertThat(plan(low, high).outcomes()).containsExactly(STORED, REPLACED_BY_NEWER);
        assertThat(insertedIds(plan(high, low))).containsExactly(id(1));
    }

    @Test
    void storedVersionIsClearedWhenANewerArrives() {
        Event newer = event().kind(0).at(200).build();
        Version held = new Version(id(9), ALICE, 100, false);
        Snapshot snapshot = new Snapshot(Set.of(), Map.of(), Map.of(), Map.of(newer.address(), held), Map.of());
        BatchPlan plan = BatchPlanner.plan(List.of(newer), snapshot);
        assertThat(plan.outcomes()).containsExactly(STORED);
        assertThat(plan.clearedAddresses()).containsExactly(newer.address());
    }

    @Test
    void addressableVersionsAreSeparatedByDTag() {
        Event a = event().kind(30023).tag("d", "a").at(100).build();
        Event b = event().kind(30023).tag("d", "b").at(50).build();
        Event none = event().kind(30023).at(10).build();
        assertThat(plan(a, b, none).inserts()).containsExactly(a, b, none);
    }

    @Test
    void deletionAfterItsTargetInTheSameBatchRemovesIt() {
        Event target = event().build();
        Event deletion = event().kind(5).tag("e", target.id()).build();
        BatchPlan plan = plan(target, deletion, target);
        assertThat(plan.outcomes()).containsExactly(STORED, STORED, DELETED);
        assertThat(plan.inserts()).containsExactly(deletion);
    }

    @Test
    void deletionBeforeItsTargetRefusesIt() {
        Event target = event().build();
        Event deletion = event().kind(5).tag("e", target.id()).build();
        assertThat(plan(deletion, target).outcomes()).containsExactly(STORED, DELETED);
    }

    @Test
    void anotherAuthorsDeletionDeletesNothing() {
        Event target = event().by(ALICE).build();
        Event deletion = event().by(BOB).kind(5).tag("e", target.id())
                .tag("a", TestEvents.address(0, ALICE, "")).build();
        BatchPlan plan = plan(target, deletion);
        assertThat(plan.outcomes()).containsExactly(STORED, STORED);
        assertThat(plan.inserts()).containsExactly(target, deletion);
        assertThat(plan.addressDeletions()).isEmpty();
    }

    @Test
    void deletingADeletionHasNoEffect() {
        Event first = event().kind(5).tag("e", id(7)).build();
        Event second = event().kind(5).tag("e", first.id()).build();
        BatchPlan plan = plan(first, second, first);
        assertThat(plan.outcomes()).containsExactly(STORED, STORED, DUPLICATE);
        assertThat(plan.inserts()).containsExactly(first, second);
    }

    @Test
    void addressDeletionRemovesVersionsUpToItsCreatedAt() {
        Event v1 = event().kind(30000).tag("d", "x").at(100).build();
        Event deletion = event().kind(5).at(150).tag("a", TestEvents.address(30000, ALICE, "x")).build();
        Event older = event().kind(30000).tag("d", "x").at(150).build();
        Event newer = event().kind(30000).tag("d", "x").at(151).build();
        BatchPlan plan = plan(v1, deletion, older, newer);
        assertThat(plan.outcomes()).containsExactly(STORED, STORED, DELETED, STORED);
        assertThat(plan.inserts()).containsExactly(deletion, newer);
        assertThat(plan.addressDeletions()).singleElement()
                .satisfies(d -> assertThat(d.until()).isEqualTo(150));
    }

    @Test
    void deletingTheHeldVersionByIdLetsAnOlderOneIn() {
        Event held = event().kind(0).at(200).build();
        Event deletion = event().kind(5).tag("e", held.id()).build();
        Event older = event().kind(0).at(100).build();
        BatchPlan plan = plan(held, deletion, older);
        assertThat(plan.outcomes()).containsExactly(STORED, STORED, STORED);
        assertThat(plan.inserts()).containsExactly(deletion, older);
    }

    @Test
    void snapshotDeletionsRefuseEvenKnownIds() {
        Event target = event().kind(30001).tag("d", "k").at(100).build();
        Snapshot byId = new Snapshot(Set.of(target.id()), Map.of(target.id(), Set.of(ALICE)), Map.of(), Map.of(), Map.of());
        Snapshot byAddress = new Snapshot(Set.of(), Map.of(), Map.of(target.address(), 100L), Map.of(), Map.of());
        Snapshot otherAuthor = new Snapshot(Set.of(), Map.of(target.id(), Set.of(BOB)), Map.of(), Map.of(), Map.of());
        assertThat(BatchPlanner.plan(List.of(target), byId).outcomes()).containsExactly(DELETED);
        assertThat(BatchPlanner.plan(List.of(target), byAddress).outcomes()).containsExactly(DELETED);
        assertThat(BatchPlanner.plan(List.of(target), otherAuthor).outcomes()).containsExactly(STORED);
    }

    @Test
    void aRequestToVanishLeavesOutItsAuthorsEarlierEventsAndTheGiftWrapsToThem() {
        // Given, in one batch: Alice's notes, a profile and a deletion, a gift wrap to Alice from Bob,
        // Bob's note, Alice's request to vanish from all relays, then a later note of hers
        Event note = event().at(100).build();
        Event profile = event().kind(0).at(110).build();
        Event deletion = event().kind(5).at(120).tag("e", id(0x999)).build();
        Event wrap = event().by(BOB).kind(1059).at(130).tag("p", ALICE).build();
        Event bobs = event().by(BOB).at(140).build();
        Event vanish = event().kind(62).at(150).tag("relay", "ALL_RELAYS").build();
        Event later = event().at(151).build();
        Event oldWrap = event().by(BOB).kind(1059).at(140).tag("p", ALICE).build();
        Event newWrap = event().by(BOB).kind(1059).at(160).tag("p", ALICE).build();

        BatchPlan plan = plan(note, profile, deletion, wrap, bobs, vanish, later, oldWrap, newWrap);

        // Then what came before is left out, what comes after of hers is refused up to the request
        assertThat(plan.outcomes()).containsExactly(STORED, STORED, STORED, STORED, STORED, STORED, STORED,
                StoreOutcome.VANISHED, STORED);
        assertThat(insertedIds(plan)).containsExactly(bobs.id(), vanish.id(), later.id(), newWrap.id());
        assertThat(plan.vanishings()).containsExactly(new BatchPlan.Vanishing(ALICE, 150, vanish.id()));
    }

    @Test
    void aVanishedAuthorsOlderEventsAreRefusedButNotHerLaterOnesOrHerRequests() {
        Snapshot vanished = new Snapshot(Set.of(), Map.of(), Map.of(), Map.of(), Map.of(ALICE, 150L));
        Event old = event().at(150).build();
        Event newer = event().at(151).build();
        Event wrapToHer = event().by(BOB).kind(1059).at(100).tag("p", ALICE).build();
        Event noteToHer = event().by(BOB).kind(1).at(100).tag("p", ALICE).build();
        Event earlierRequest = event().kind(62).at(90).tag("relay", "ALL_RELAYS").build();
        assertThat(BatchPlanner.plan(List.of(old, newer, wrapToHer, noteToHer, earlierRequest), vanished).outcomes())
                .containsExactly(StoreOutcome.VANISHED, STORED, StoreOutcome.VANISHED, STORED, STORED);
    }

    @Test
    void aRequestToVanishAppliesOnlyWhenItNamesThisRelayAndCannotBeDeleted() {
        Event elsewhere = event().kind(62).at(150).tag("relay", "wss://other.example.com").build();
        Event here = event().kind(62).at(150).tag("relay", "wss://Relay.Example.com/").build();
        Set<String> urls = Set.of("wss://relay.example.com");
        assertThat(BatchPlanner.plan(List.of(elsewhere), Snapshot.empty(), urls).vanishings()).isEmpty();
        assertThat(BatchPlanner.plan(List.of(here), Snapshot.empty(), urls).vanishings()).hasSize(1);
        assertThat(BatchPlanner.plan(List.of(here), Snapshot.empty()).vanishings()).as("no public URL set").isEmpty();

        Event undo = event().kind(5).at(160).tag("e", here.id()).build();
        BatchPlan plan = BatchPlanner.plan(List.of(here, undo), Snapshot.empty(), urls);
        assertThat(insertedIds(plan)).containsExactly(here.id(), undo.id());
    }
}
