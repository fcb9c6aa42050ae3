package io.nostrex.store;

import static io.nostrex.store.StoreOutcome.DELETED;
import static io.nostrex.store.StoreOutcome.STORED;
import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.BOB;
import static io.nostrex.store.TestEvents.address;
import static io.nostrex.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NIP-09 against a real PostgreSQL: by id, by address, same author only, never undone, never re-accepted. */
class DeletionIT {
    private static Database db;
    private static EventStore store;
    private static EventQuery query;

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        store = new EventStore(db.dataSource());
        query = new EventQuery(db.dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        TestDatabase.truncate(db);
    }

    private static List<StoreOutcome> store(Event... events) {
        return store.store(List.of(events));
    }

    private static List<String> stored() {
        return query.query(List.of(Filter.any()), 10_000);
    }

    @Test
    void deletionByIdDeletesTheTargetForGood() {
        Event target = event().at(100).build();
        Event deletion = event().kind(5).at(200).tag("e", target.id()).tag("k", "1").build();
        store(target);
        assertThat(store(deletion)).containsExactly(STORED);
        assertThat(stored()).containsExactly(EventJson.write(deletion));
        assertThat(query.isDeleted(target)).isTrue();
        assertThat(store(target)).containsExactly(DELETED);
        assertThat(DELETED.accepted()).isFalse();
        assertThat(DELETED.message()).startsWith("blocked: ");
    }

    @Test
    void deletionInTheSameBatchAfterItsTargetWorks() {
        Event target = event().build();
        Event deletion = event().kind(5).tag("e", target.id()).build();
        assertThat(store(target, deletion)).containsExactly(STORED, STORED);
        assertThat(stored()).containsExactly(EventJson.write(deletion));
    }

    @Test
    void targetArrivingAfterItsDeletionIsRefused() {
        Event target = event().build();
        store(event().kind(5).tag("e", target.id()).build());
        assertThat(store(target)).containsExactly(DELETED);
    }

    @Test
    void anotherAuthorsDeletionIsIgnored() {
        Event target = event().by(ALICE).kind(30000).tag("d", "x").build();
        Event deletion = event().by(BOB).kind(5).at(target.createdAt() + 10).tag("e", target.id())
                .tag("a", address(30000, ALICE, "x")).build();
        store(target, deletion);
        assertThat(stored()).contains(EventJson.write(target));
        assertThat(query.isDeleted(target)).isFalse();
        TestDatabase.truncate(db);
        store(deletion);
        assertThat(store(target)).containsExactly(STORED);
    }

    @Test
    void deletingADeletionHasNoEffect() {
        Event target = event().build();
        Event first = event().kind(5).tag("e", target.id()).build();
        Event second = event().kind(5).tag("e", first.id()).build();
        store(target, first);
        assertThat(store(second)).containsExactly(STORED);
        assertThat(stored()).contains(EventJson.write(first), EventJson.write(second));
        assertThat(query.isDeleted(first)).isFalse();
        assertThat(store(target)).containsExactly(DELETED);
    }

    @Test
    void deletionByAddressDeletesVersionsUpToItsCreatedAt() {
        Event v1 = event().kind(30023).tag("d", "post").at(100).build();
        Event deletion = event().kind(5).at(200).tag("a", address(30023, ALICE, "post")).build();
        Event atDeletion = event().kind(30023).tag("d", "post").at(200).build();
        Event after = event().kind(30023).tag("d", "post").at(201).build();
        store(v1);
        assertThat(store(deletion)).containsExactly(STORED);
        assertThat(stored()).containsExactly(EventJson.write(deletion));
        assertThat(store(atDeletion, after)).containsExactly(DELETED, STORED);
        assertThat(query.isDeleted(atDeletion)).isTrue();
        assertThat(query.isDeleted(after)).isFalse();
        assertThat(store(v1)).containsExactly(DELETED);
    }

    @Test
    void deletionByAddressOfAReplaceableKind() {
        Event profile = event().kind(0).at(100).build();
        store(profile);
        store(event().kind(5).at(150).tag("a", address(0, ALICE, "")).build());
        assertThat(query.query(List.of(kinds(0)), 10)).isEmpty();
        assertThat(query.isDeleted(profile)).isTrue();
    }

    @Test
    void laterAddressDeletionExtendsAnEarlierOne() {
        Event v = event().kind(30023).tag("d", "p").at(300).build();
        store(event().kind(5).at(200).tag("a", address(30023, ALICE, "p")).build());
        store(event().kind(5).at(400).tag("a", address(30023, ALICE, "p")).build());
        store(event().kind(5).at(100).tag("a", address(30023, ALICE, "p")).build());
        assertThat(store(v)).containsExactly(DELETED);
    }

    private static Filter kinds(int kind) {
        return new Filter(null, null, Set.of(kind), Map.of(), null, null, null, null);
    }
}
