package io.nostrex.protocol.negentropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.protocol.Hex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two sides reconciling: what each learns is the difference of their sets, whatever the sizes and frame limits. */
class NegentropyTest {
    record Item(long timestamp, String id) {}

    record Outcome(Set<String> have, Set<String> need, int rounds) {}

    static List<Item> random(Random r, int n, long from, long span) {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            out.add(new Item(from + (span == 0 ? 0 : (long) r.nextInt((int) span)), Hex.encode(id)));
        }
        return out;
    }

    static NegItems items(List<Item> list) {
        NegItems.Builder b = new NegItems.Builder();
        list.forEach(i -> b.add(i.timestamp(), Hex.decode(i.id())));
        return b.build();
    }

    static Outcome reconcile(List<Item> client, List<Item> server, int clientFrame, int serverFrame) throws Exception {
        Negentropy c = new Negentropy(items(client), clientFrame);
        Negentropy s = new Negentropy(items(server), serverFrame);
        Set<String> have = new HashSet<>();
        Set<String> need = new HashSet<>();
        byte[] msg = c.initiate();
        int rounds = 0;
        while (msg != null) {
            assertThat(clientFrame == 0 || msg.length <= clientFrame).as("client frame of %s bytes", msg.length).isTrue();
            byte[] answer = s.answer(msg);
            assertThat(serverFrame == 0 || answer.length <= serverFrame).as("server frame of %s bytes", answer.length).isTrue();
            Negentropy.Round round = c.reconcile(answer);
            have.addAll(round.have());
            need.addAll(round.need());
            msg = round.next();
            rounds++;
            assertThat(rounds).isLessThan(1_000); // 4 KiB frames carry about 120 ids each
        }
        return new Outcome(have, need, rounds);
    }

    static Set<String> ids(List<Item> items) {
        Set<String> out = new HashSet<>();
        items.forEach(i -> out.add(i.id()));
        return out;
    }

    static void check(List<Item> client, List<Item> server, int clientFrame, int serverFrame) throws Exception {
        Outcome o = reconcile(client, server, clientFrame, serverFrame);
        Set<String> expectedHave = ids(client);
        expectedHave.removeAll(ids(server));
        Set<String> expectedNeed = ids(server);
        expectedNeed.removeAll(ids(client));
        assertThat(o.have()).isEqualTo(expectedHave);
        assertThat(o.need()).isEqualTo(expectedNeed);
    }

    @Test
    void emptyEqualDisjointAndOverlappingSetsReconcile() throws Exception {
        Random r = new Random(1);
        List<Item> a = random(r, 500, 1_700_000_000, 100_000);
        List<Item> b = random(r, 700, 1_700_000_000, 100_000);
        List<Item> both = new ArrayList<>(a.subList(0, 300));
        both.addAll(b.subList(0, 400));
        for (int frame : new int[] {0, 4096}) {
            check(List.of(), List.of(), frame, frame);
            check(a, List.of(), frame, frame);
            check(List.of(), b, frame, frame);
            check(a, a, frame, frame);
            check(a, b, frame, frame);
            check(a, both, frame, frame);
            check(both, b, 0, frame);
        }
    }

    @Test
    void equalSetsNeedOneRoundAndLargeDifferencesSeveral() throws Exception {
        Random r = new Random(2);
        List<Item> a = random(r, 20_000, 1_600_000_000, 50_000_000);
        assertThat(reconcile(a, a, 0, 0).rounds()).isEqualTo(1);
        List<Item> b = new ArrayList<>(a.subList(0, 15_000));
        b.addAll(random(r, 3_000, 1_600_000_000, 50_000_000));
        Outcome o = reconcile(a, b, 0, 0);
        assertThat(o.rounds()).isGreaterThan(1);
        check(a, b, 0, 0);
        check(a, b, 4096, 4096); // frames of 4 KiB: ids lists cut short, and the rest fingerprinted
    }

    @Test
    void manyRecordsAtOneSecondAreSeparatedByIdPrefixes() throws Exception {
        Random r = new Random(3);
        List<Item> a = random(r, 3_000, 1_700_000_000, 0);
        List<Item> b = new ArrayList<>(a.subList(100, 3_000));
        b.addAll(random(r, 50, 1_700_000_000, 0));
        check(a, b, 0, 0);
        check(b, a, 4096, 0);
    }

    @Test
    void aServerAnswersAnotherVersionWithItsOwnAndRefusesGarbage() throws Exception {
        Negentropy s = new Negentropy(items(List.of()), 0);
        assertThat(s.answer(new byte[] {0x62})).containsExactly(0x61);
        assertThatThrownBy(() -> s.answer(new byte[] {0x10})).hasMessageContaining("version");
        assertThatThrownBy(() -> s.answer(new byte[] {0x61, 0x05})).hasMessageContaining("ends in the middle");
        assertThatThrownBy(() -> s.answer(new byte[] {0x61, 0x00, 0x00, 0x07})).hasMessageContaining("mode");
        // a bound at 2^63: a varint of ten digits, beyond any created_at
        byte[] huge = {0x61, (byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, 0x01, 0x00, 0x00};
        assertThatThrownBy(() -> s.answer(huge)).isInstanceOf(NegentropyException.class).hasMessageContaining("out of range");
    }

    @Test
    void varintsAreBase128MostSignificantFirst() {
        assertThat(Wire.varint(0)).containsExactly(0);
        assertThat(Wire.varint(127)).containsExactly(127);
        assertThat(Wire.varint(128)).containsExactly(0x81, 0x00);
        assertThat(Wire.varint(16_384)).containsExactly(0x81, 0x80, 0x00);
    }
}
