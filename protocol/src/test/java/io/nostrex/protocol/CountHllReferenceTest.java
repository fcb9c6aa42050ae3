package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our NIP-45 HyperLogLog against nostr-tools' (an independent implementation, run by node from
 * {@code protocol/src/test/node/hll.js}): the same offset and the same 256 registers, byte for
 * byte, for tag values of every form and for sets of pubkeys from empty to 20,000.
 */
class CountHllReferenceTest {
    private record Case(String tagValue, List<byte[]> pubkeys) {}

    @Test
    void offsetsAndRegistersAreTheReferencesByteForByte() throws Exception {
        Path dir = NodeReference.dir();
        Random random = new Random(45);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            values.add(Hex.encode(bytes(random, 32)));
        }
        values.add("30023:" + Hex.encode(bytes(random, 32)) + ":my-article");
        values.add("bitcoin");
        values.add("30023:not-a-pubkey:x");
        values.add("\u65e5\u672c\u8a9e #nostr");
        List<Case> cases = new ArrayList<>();
        int[] sizes = {0, 1, 10, 300, 5_000, 20_000};
        for (int i = 0; i < values.size(); i++) {
            List<byte[]> pubkeys = new ArrayList<>();
            for (int n = 0; n < sizes[i % sizes.length]; n++) {
                pubkeys.add(bytes(random, 32));
            }
            // pubkeys whose bytes after every possible offset are zero, or zero but for one low bit
            byte[] zeros = bytes(random, 32);
            java.util.Arrays.fill(zeros, 9, 32, (byte) 0);
            pubkeys.add(zeros);
            byte[] lowBit = bytes(random, 32);
            java.util.Arrays.fill(lowBit, 9, 32, (byte) 0);
            lowBit[31] = 1;
            pubkeys.add(lowBit);
            cases.add(new Case(values.get(i), pubkeys));
        }

        Process node = new ProcessBuilder("node", "hll.js").directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (PrintWriter in = new PrintWriter(node.getOutputStream(), false, StandardCharsets.UTF_8);
             BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (Case c : cases) {
                in.println("case," + c.tagValue());
                c.pubkeys().forEach(p -> in.println("pubkey," + Hex.encode(p)));
                in.println("end");
            }
            in.flush();
            for (Case c : cases) {
                int offset = CountHll.offset(c.tagValue());
                CountHll ours = new CountHll(offset);
                c.pubkeys().forEach(ours::add);
                assertThat(out.readLine()).as("offset of %s", c.tagValue()).isEqualTo("offset," + offset);
                assertThat(out.readLine()).as("registers for %s over %d pubkeys", c.tagValue(), c.pubkeys().size())
                        .isEqualTo("hll," + ours.hex());
            }
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyTheQueriesNip45NamesGetAnHll() {
        String id = "ab".repeat(32);
        assertThat(CountHll.offsetFor(filter(Set.of(7), Map.of('e', Set.of(id))))).isEqualTo(CountHll.offset(id));
        assertThat(CountHll.offsetFor(filter(Set.of(3), Map.of('p', Set.of(id))))).as("followers").isPositive();
        assertThat(CountHll.offsetFor(filter(Set.of(1, 1111), Map.of('q', Set.of(id))))).as("quotes").isPositive();
        assertThat(CountHll.offsetFor(filter(Set.of(1111), Map.of('E', Set.of(id))))).as("comments").isPositive();
        assertThat(CountHll.offsetFor(filter(Set.of(7, 6), Map.of('e', Set.of(id))))).as("two directives").isEqualTo(-1);
        assertThat(CountHll.offsetFor(filter(Set.of(7), Map.of('e', Set.of(id, "cd".repeat(32)))))).isEqualTo(-1);
        assertThat(CountHll.offsetFor(filter(null, Map.of('e', Set.of(id))))).isEqualTo(-1);
        assertThat(CountHll.offsetFor(filter(Set.of(1), Map.of('t', Set.of("nostr"))))).isEqualTo(-1);
    }

    private static Filter filter(Set<Integer> kinds, Map<Character, Set<String>> tags) {
        return new Filter(null, null, kinds, tags, null, null, null, null);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
