package io.nostrex.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.nostrex.protocol.TestCorpus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every build runs the Jazzer targets (the long run is {@code protocol/fuzz/run}) over the real
 * events and byte-level mutations of them, about 10,000 inputs per target, so that a target that no
 * longer holds for the inputs it was seeded with fails here and not hours into a fuzzing run.
 */
class FuzzTargetsTest {
    private static final int MUTANTS_PER_INPUT = 3;
    private static final byte[] INSERTED = "\"{}[],:\\0-e1\u00e9".getBytes(StandardCharsets.UTF_8);

    @Test
    void theEventParserTargetHoldsOnTheCorpusAndItsMutants() {
        run(TestCorpus.lines(), EventParserFuzzer::fuzzerTestOneInput);
    }

    @Test
    void theClientMessageTargetHoldsOnTheCorpusAsMessagesAndItsMutants() {
        List<String> messages = new ArrayList<>();
        for (String line : TestCorpus.lines()) {
            messages.add("[\"EVENT\"," + line + "]");
        }
        messages.addAll(filters().stream().map(f -> "[\"REQ\",\"s\"," + f + ",{\"limit\":5}]").toList());
        run(messages, ClientMessageFuzzer::fuzzerTestOneInput);
    }

    @Test
    void theFilterParserTargetHoldsOnFiltersFromTheCorpusAndTheirMutants() {
        run(filters(), FilterParserFuzzer::fuzzerTestOneInput);
    }

    /** A filter per corpus event: its author, kind, first tag value and a window around its time. */
    private static List<String> filters() {
        return TestCorpus.events().stream().map(e -> {
            StringBuilder f = new StringBuilder("{\"authors\":[\"").append(e.pubkey()).append("\"],\"kinds\":[")
                    .append(e.kind()).append("],\"since\":").append(e.createdAt() - 60).append(",\"until\":")
                    .append(e.createdAt() + 60);
            e.tags().stream().filter(t -> t.size() > 1 && t.get(0).length() == 1 && t.get(1).indexOf('"') < 0
                            && t.get(1).indexOf('\\') < 0)
                    .findFirst().ifPresent(t -> f.append(",\"#").append(t.get(0)).append("\":[\"").append(t.get(1)).append("\"]"));
            return f.append(",\"limit\":10}").toString();
        }).toList();
    }

    /** Each input as it is, then mutated: bytes flipped, dropped, inserted, or a run copied elsewhere. */
    private static void run(List<String> inputs, Consumer<byte[]> target) {
        Random random = new Random(42);
        for (String input : inputs) {
            byte[] original = input.getBytes(StandardCharsets.UTF_8);
            assertThatCode(() -> target.accept(original)).as(input).doesNotThrowAnyException();
            for (int m = 0; m < MUTANTS_PER_INPUT; m++) {
                byte[] mutant = mutate(original, random);
                assertThatCode(() -> target.accept(mutant)).as(new String(mutant, StandardCharsets.UTF_8))
                        .doesNotThrowAnyException();
            }
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && out.length > 0; i++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out = splice(out, at, 1, new byte[0]);
                case 2 -> out = splice(out, at, 0, new byte[] {INSERTED[random.nextInt(INSERTED.length)]});
                default -> {
                    int from = random.nextInt(out.length);
                    int len = Math.min(out.length - from, 1 + random.nextInt(16));
                    byte[] run = java.util.Arrays.copyOfRange(out, from, from + len);
                    out = splice(out, at, 0, run);
                }
            }
        }
        return out;
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        byte[] out = new byte[in.length - remove + insert.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
        return out;
    }
}
