package io.nostrex.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.store.StoreException;
import io.nostrex.store.StoreOutcome;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
    private static final EventSigner SIGNER = EventSigner.random();
    private final List<Event> batch = List.of(event("a"), event("b"), event("c"));
    private final List<String> waits = new ArrayList<>();

    private static Event event(String content) {
        return SIGNER.sign(1_700_000_000L, 1, List.of(), content);
    }

    private static StoreException failure(String sqlState) {
        return new StoreException("write failed", new SQLException("the database says " + sqlState, sqlState));
    }

    /** A store that answers each call with the next scripted result: outcomes, or a failure to throw. */
    private static final class Scripted implements BatchWriter.Store {
        final Deque<Object> script = new ArrayDeque<>();
        final List<List<Event>> calls = new ArrayList<>();

        Scripted then(Object result) {
            script.add(result);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<StoreOutcome> store(List<Event> events, Set<String> vanishHere) {
            calls.add(events);
            Object next = script.poll();
            if (next instanceof RuntimeException e) {
                throw e;
            }
            if (next == null) {
                return Collections.nCopies(events.size(), StoreOutcome.STORED);
            }
            return (List<StoreOutcome>) next;
        }
    }

    private BatchWriter writer(Scripted store) {
        return new BatchWriter(store, (events, cause) -> waits.add(events + " after " + cause.getMessage()));
    }

    @Test
    void aBatchTheDatabaseTakesIsWrittenInOneTransaction() throws Exception {
        Scripted store = new Scripted().then(List.of(StoreOutcome.STORED, StoreOutcome.DUPLICATE, StoreOutcome.STORED));
        assertThat(writer(store).write(batch, Set.of()))
                .containsExactly(StoreOutcome.STORED, StoreOutcome.DUPLICATE, StoreOutcome.STORED);
        assertThat(store.calls).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void failuresThatMayPassAreWaitedOutAndTheWholeBatchTriedAgain() throws Exception {
        Scripted store = new Scripted().then(failure("08006")).then(failure("40P01")).then(new IllegalStateException("pool closed"));
        List<StoreOutcome> outcomes = writer(store).write(batch, Set.of());
        assertThat(outcomes).containsOnly(StoreOutcome.STORED).hasSize(3);
        assertThat(store.calls).hasSize(4).allSatisfy(call -> assertThat(call).isEqualTo(batch));
        assertThat(waits).containsExactly("3 after write failed", "3 after write failed", "3 after pool closed");
    }

    @Test
    void aRefusedBatchIsNarrowedDownToTheEventsTheDatabaseRefusesForGood() throws Exception {
        Scripted store = new Scripted()
                .then(failure("23514"))               // the batch: a check constraint
                .then(List.of(StoreOutcome.STORED))   // a
                .then(failure("23514"))               // b, for good
                .then(failure("57P01"))               // c: the server restarting, may pass
                .then(List.of(StoreOutcome.STORED));  // c again
        BatchWriter writer = writer(store);
        assertThat(writer.write(batch, Set.of()))
                .containsExactly(StoreOutcome.STORED, StoreOutcome.FAILED, StoreOutcome.STORED);
        assertThat(writer.refusals()).containsOnlyKeys(batch.get(1).id());
        assertThat(writer.refusals().get(batch.get(1).id())).isEqualTo("23514 the database says 23514");
        assertThat(waits).containsExactly("1 after write failed");
        assertThat(store.calls).hasSize(5);
    }

    @Test
    void theRefusalsAreThoseOfTheLastBatchOnly() throws Exception {
        Scripted store = new Scripted().then(failure("22P02")).then(failure("22P02")).then(failure("22P02"))
                .then(failure("22P02"));
        BatchWriter writer = writer(store);
        assertThat(writer.write(batch, Set.of())).containsOnly(StoreOutcome.FAILED);
        assertThat(writer.refusals()).hasSize(3);
        assertThat(writer.write(batch, Set.of())).containsOnly(StoreOutcome.STORED);
        assertThat(writer.refusals()).isEmpty();
    }

    @Test
    void narrowingDownUsesTheWriteForSingleEventsAndSaysSo() throws Exception {
        Scripted whole = new Scripted().then(failure("23505"));
        Scripted single = new Scripted();
        BatchWriter writer = new BatchWriter(whole, single, (events, cause) -> waits.add("wait"));
        assertThat(writer.write(batch, Set.of())).containsOnly(StoreOutcome.STORED);
        assertThat(writer.narrowed()).isTrue();
        assertThat(whole.calls).containsExactly(batch);
        assertThat(single.calls).containsExactly(List.of(batch.get(0)), List.of(batch.get(1)), List.of(batch.get(2)));
        assertThat(writer.write(batch, Set.of())).containsOnly(StoreOutcome.STORED);
        assertThat(writer.narrowed()).as("the next batch went whole").isFalse();
    }

    @Test
    void aStoppingArchiverGivesUpWaiting() {
        Scripted store = new Scripted().then(failure("08001"));
        BatchWriter writer = new BatchWriter(store, (events, cause) -> {
            throw new IllegalStateException("stopping");
        });
        assertThatThrownBy(() -> writer.write(batch, Set.of())).hasMessage("stopping");
    }
}
