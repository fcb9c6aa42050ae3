package io.nostrex.protocol.negentropy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Hex;
import io.nostrex.protocol.NodeReference;
import io.nostrex.protocol.negentropy.NegentropyTest.Item;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Against the reference client: nostr-tools' NIP-77 Negentropy (its port of hoytech/negentropy's
 * client side, the implementation strfry's peers use), run by node from {@code protocol/src/test/node}.
 * Our client and the reference client go in lockstep against our server: at every round the two
 * clients write the same bytes and learn the same ids, and those are the difference of the sets.
 * (nostr-tools has no server side, so our server is checked through what the reference client
 * learns from it.) Needs node and {@code npm ci} in that folder (.ci/run does both); without them
 * the test is skipped, unless NOSTREX_REQUIRE_NODE=1, which makes the skip a failure.
 */
class NegentropyReferenceTest {
    /** nostr-tools' default frame size limit (it has no "none"). */
    static final int DEFAULT_FRAME = 60_000;

    /** The reference, one side of a reconciliation, in a node process. */
    static final class Reference implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final BufferedReader out;
        final Set<String> have = new HashSet<>();
        final Set<String> need = new HashSet<>();

        Reference(Path dir, List<Item> items, int frame) throws IOException {
            process = new ProcessBuilder("node", "harness.js").directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new PrintWriter(process.getOutputStream(), false, StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in.println("frame," + frame);
            items.forEach(i -> in.println("item," + i.timestamp() + "," + i.id()));
            in.println("seal");
        }

        byte[] initiate() throws IOException {
            in.println("initiate");
            return read();
        }

        /** The reference's answer or next message; null when, as a client, it is done. */
        byte[] message(byte[] msg) throws IOException {
            in.println("msg," + Hex.encode(msg));
            return read();
        }

        private byte[] read() throws IOException {
            in.flush();
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("have,")) {
                    have.add(line.substring(5));
                } else if (line.startsWith("need,")) {
                    need.add(line.substring(5));
                } else if (line.equals("done")) {
                    return null;
                } else if (line.startsWith("msg,")) {
                    return Hex.decode(line.substring(4));
                }
            }
            throw new IOException("the reference harness ended");
        }

        @Override
        public void close() throws InterruptedException {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static Path referenceDir() {
        return NodeReference.dir();
    }

    /** Runs our client and the reference's against our server, in lockstep; returns the rounds. */
    static int lockstep(Path dir, List<Item> client, List<Item> server, int frame) throws Exception {
        Negentropy ourClient = new Negentropy(NegentropyTest.items(client), frame);
        Negentropy ourServer = new Negentropy(NegentropyTest.items(server), frame);
        Set<String> have = new HashSet<>();
        Set<String> need = new HashSet<>();
        int rounds = 0;
        try (Reference theirClient = new Reference(dir, client, frame)) {
            byte[] msg = ourClient.initiate();
            same("initial message", theirClient.initiate(), msg);
            while (msg != null) {
                byte[] answer = ourServer.answer(msg);
                assertThat(answer.length).as("answer %s within the frame", rounds).isLessThanOrEqualTo(frame);
                Negentropy.Round round = ourClient.reconcile(answer);
                byte[] theirs = theirClient.message(answer);
                same("message " + (rounds + 1), theirs, round.next());
                have.addAll(round.have());
                need.addAll(round.need());
                msg = round.next();
                rounds++;
            }
            assertThat(have).isEqualTo(theirClient.have);
            assertThat(need).isEqualTo(theirClient.need);
        }
        Set<String> expectedHave = NegentropyTest.ids(client);
        expectedHave.removeAll(NegentropyTest.ids(server));
        Set<String> expectedNeed = NegentropyTest.ids(server);
        expectedNeed.removeAll(NegentropyTest.ids(client));
        assertThat(have).isEqualTo(expectedHave);
        assertThat(need).isEqualTo(expectedNeed);
        return rounds;
    }

    /** The reference's bytes and ours, the same; else where they part, in the message's hex. */
    static void same(String what, byte[] reference, byte[] ours) {
        String r = reference == null ? "(done)" : Hex.encode(reference);
        String o = ours == null ? "(done)" : Hex.encode(ours);
        int at = 0;
        while (at < Math.min(r.length(), o.length()) && r.charAt(at) == o.charAt(at)) {
            at++;
        }
        assertThat(o).as("%s: %s hex chars against the reference's %s, first difference at %s: ours ...%s, reference ...%s",
                what, o.length(), r.length(), at, o.substring(at, Math.min(o.length(), at + 40)),
                r.substring(at, Math.min(r.length(), at + 40))).isEqualTo(r);
    }

    @Test
    void emptyEqualDisjointAndOverlappingSetsMatchTheReference() throws Exception {
        Path dir = referenceDir();
        Random r = new Random(7);
        List<Item> a = NegentropyTest.random(r, 400, 1_700_000_000, 10_000);
        List<Item> b = NegentropyTest.random(r, 300, 1_700_000_000, 10_000);
        List<Item> overlap = new ArrayList<>(a.subList(0, 250));
        overlap.addAll(b.subList(0, 200));
        lockstep(dir, List.of(), List.of(), DEFAULT_FRAME);
        lockstep(dir, a, List.of(), DEFAULT_FRAME);
        lockstep(dir, List.of(), b, DEFAULT_FRAME);
        assertThat(lockstep(dir, a, a, DEFAULT_FRAME)).isEqualTo(1);
        lockstep(dir, a, b, DEFAULT_FRAME);
        lockstep(dir, a, overlap, DEFAULT_FRAME);
        lockstep(dir, NegentropyTest.random(r, 200, 1_700_000_000, 0), overlap, DEFAULT_FRAME); // one second: id prefixes
    }

    @Test
    void setsThatNeedSeveralRoundsAndFrameLimitsMatchTheReference() throws Exception {
        Path dir = referenceDir();
        Random r = new Random(8);
        List<Item> a = NegentropyTest.random(r, 20_000, 1_600_000_000, 50_000_000);
        List<Item> b = new ArrayList<>(a.subList(0, 15_000));
        b.addAll(NegentropyTest.random(r, 3_000, 1_600_000_000, 50_000_000));
        assertThat(lockstep(dir, a, b, DEFAULT_FRAME)).isGreaterThan(1);
        assertThat(lockstep(dir, a, b, 4096)).isGreaterThan(2);
    }
}
