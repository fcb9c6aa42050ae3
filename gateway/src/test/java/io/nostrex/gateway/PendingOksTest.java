package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nostrex.protocol.message.RelayMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PendingOksTest {
    /** A connection that keeps what it is sent. */
    private record Client(long id, AtomicInteger pendingOks, List<RelayMessage> sent, AtomicInteger invalids)
            implements PendingOks.Client {
        Client(long id) {
            this(id, new AtomicInteger(), new ArrayList<>(), new AtomicInteger());
        }

        @Override
        public void send(RelayMessage message) {
            sent.add(message);
        }

        @Override
        public void invalid() {
            invalids.incrementAndGet();
        }
    }

    private final GatewayMetrics metrics = GatewayMetrics.of(new SimpleMeterRegistry());
    private final PendingOks pending = new PendingOks(30_000, 3, metrics);
    private final Client alice = new Client(1);
    private final Client bob = new Client(2);

    @Test
    void eachEventGetsItsVerdictOnceOnItsOwnConnection() {
        assertThat(pending.add(alice, "e1")).isTrue();
        assertThat(pending.add(bob, "e1")).isTrue();
        assertThat(pending.answer(1, "e1", true, "")).isTrue();
        assertThat(pending.answer(1, "e1", true, "")).as("answered already").isFalse();
        assertThat(alice.sent).containsExactly(new RelayMessage.Ok("e1", true, ""));
        assertThat(bob.sent).isEmpty();
        assertThat(alice.pendingOks.get()).isZero();
        assertThat(bob.pendingOks.get()).isOne();
        assertThat(metrics.okPending.get()).isOne();
    }

    @Test
    void onlyAnInvalidVerdictCountsAgainstTheConnectionsAllowanceOfInvalidMessages() {
        for (String e : List.of("e1", "e2", "e3")) {
            pending.add(alice, e);
        }
        pending.answer(1, "e1", false, "invalid: bad signature");
        pending.answer(1, "e2", false, "blocked: pubkey is banned");
        pending.answer(1, "e3", true, "");
        assertThat(alice.invalids.get()).isOne();
    }

    @Test
    void theSameEventSentTwiceOnOneConnectionGetsTwoOks() {
        pending.add(alice, "e1");
        pending.add(alice, "e1");
        assertThat(pending.answer(1, "e1", true, "")).isTrue();
        assertThat(pending.answer(1, "e1", true, "duplicate: have it")).isTrue();
        assertThat(alice.sent).hasSize(2);
        assertThat(pending.size()).isZero();
    }

    @Test
    void pastItsCapAConnectionsEventIsNotTakenAndAnAnswerMakesRoom() {
        for (int i = 0; i < 3; i++) {
            assertThat(pending.add(alice, "e" + i)).isTrue();
        }
        assertThat(pending.add(alice, "e3")).isFalse();
        assertThat(pending.add(bob, "e3")).as("another connection has its own cap").isTrue();
        pending.answer(1, "e0", true, "");
        assertThat(pending.add(alice, "e3")).isTrue();
        assertThat(alice.pendingOks.get()).isEqualTo(3);
    }

    @Test
    void anOverdueEventGetsAnErrorThatSaysItMayBeStored() {
        pending.add(alice, "late");
        pending.add(alice, "late");
        pending.expire(System.currentTimeMillis() + 29_000);
        assertThat(alice.sent).isEmpty();
        pending.expire(System.currentTimeMillis() + 31_000);
        assertThat(alice.sent).hasSize(2).allSatisfy(m -> {
            RelayMessage.Ok ok = (RelayMessage.Ok) m;
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).startsWith("error: ").contains("may or may not be stored, retry");
        });
        assertThat(alice.pendingOks.get()).isZero();
        assertThat(pending.answer(1, "late", true, "")).as("the verdict after the timeout finds nothing").isFalse();
    }

    @Test
    void aClosedConnectionsEventsAreDroppedWithoutAnswers() {
        pending.add(alice, "e1");
        pending.add(bob, "e2");
        pending.dropConnection(1);
        assertThat(pending.size()).isOne();
        assertThat(pending.answer(1, "e1", true, "")).isFalse();
        assertThat(alice.sent).isEmpty();
        assertThat(metrics.okPending.get()).isOne();
    }
}
