package io.nostrex.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.TestCorpus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile input never escapes as anything but a {@link MessageException}: random bytes and chars,
 * JSON-ish token soup, and mutations of valid messages built from the real-event corpus. Each input
 * goes through both decoders. Fixed seed and count, so a failure reproduces and the run takes seconds.
 */
class MessageFuzzTest {
    private static final long SEED = 20_240_601L;
    private static final int CASES = 7_000;

    private static final String[] TOKENS = {"[", "]", "{", "}", ",", ":", "\"EVENT\"", "\"REQ\"", "\"CLOSE\"",
        "\"COUNT\"", "\"AUTH\"", "\"NEG-OPEN\"", "\"NEG-MSG\"", "\"NEG-CLOSE\"", "\"OK\"", "\"EOSE\"", "\"sub\"", "\"\"",
        "\"ids\"", "\"authors\"", "\"kinds\"", "\"#e\"", "\"#t\"", "\"#\"", "\"since\"", "\"limit\"", "\"search\"",
        "\"id\"", "\"pubkey\"", "\"created_at\"", "\"kind\"", "\"tags\"", "\"content\"", "\"sig\"", "\"count\"",
        "0", "-1", "1", "65536", "1.5", "-0", "1e999999", "9".repeat(300), "9".repeat(40), "true", "false", "null",
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"\\\"", "\"6100\"", "\"" + "a".repeat(64) + "\"",
        "\"" + "b".repeat(128) + "\"", " ", "\n", "\ud800", "\u0000", "NaN", "'x'", "/*", "\\"};

    /** The three ways to make an input; each gets {@link #CASES} inputs from its own seeded Random. */
    enum Generator {
        RANDOM_TEXT(MessageFuzzTest::randomText),
        TOKEN_SOUP(MessageFuzzTest::tokenSoup),
        MUTATION(MessageFuzzTest::mutation);

        final BiFunction<Random, List<String>, String> next;

        Generator(BiFunction<Random, List<String>, String> next) {
            this.next = next;
        }
    }

    @ParameterizedTest
    @EnumSource(Generator.class)
    void decodersReturnAMessageOrThrowMessageExceptionAndNothingElse(Generator generator) {
        // Given
        Random random = new Random(SEED + generator.ordinal());
        List<String> valid = validMessages(random);
        int decoded = 0;

        for (int i = 0; i < CASES; i++) {
            String input = generator.next.apply(random, valid);
            // When / Then
            decoded += decodesOrRejects(input, true) + decodesOrRejects(input, false);
        }
        // Then, for mutations: both outcomes were reached, so mutations are not all trivially broken
        if (generator == Generator.MUTATION) {
            assertThat(decoded).isBetween(1, 2 * CASES - 1);
        }
    }

    /** 1 when decoded, 0 when rejected with MessageException; anything else fails the test. */
    private static int decodesOrRejects(String input, boolean client) {
        try {
            Object m = client ? MessageCodec.decodeClient(input) : MessageCodec.decodeRelay(input);
            assertThat(m).isNotNull();
            return 1;
        } catch (MessageException expected) {
            assertThat(expected.getMessage()).startsWith("invalid: ");
            assertThat(expected.kind()).isNotNull();
            return 0;
        } catch (Throwable t) {
            return fail("decode%s threw %s for input %s", client ? "Client" : "Relay", t, show(input), t);
        }
    }

    private static String randomText(Random random, List<String> valid) {
        int length = random.nextInt(200);
        if (random.nextBoolean()) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return new String(bytes, random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x60) : random.nextInt(0x10000)));
        }
        return sb.toString();
    }

    private static String tokenSoup(Random random, List<String> valid) {
        StringBuilder sb = new StringBuilder(random.nextBoolean() ? "[" + pick(random, TOKENS) + "," : "");
        int count = random.nextInt(40);
        for (int i = 0; i < count; i++) {
            sb.append(random.nextInt(4) == 0 ? pick(random, TOKENS) + "," : pick(random, TOKENS));
        }
        return sb.toString();
    }

    private static String mutation(Random random, List<String> valid) {
        StringBuilder sb = new StringBuilder(valid.get(random.nextInt(valid.size())));
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            mutate(random, sb);
        }
        return sb.toString();
    }

    private static void mutate(Random random, StringBuilder sb) {
        int at = sb.length() == 0 ? 0 : random.nextInt(sb.length());
        int end = Math.min(sb.length(), at + 1 + random.nextInt(16));
        switch (random.nextInt(5)) {
            case 0 -> sb.delete(at, end);
            case 1 -> sb.insert(at, pick(random, TOKENS));
            case 2 -> sb.replace(at, end, pick(random, TOKENS));
            case 3 -> sb.setLength(at);
            default -> sb.insert(at, sb.substring(at, end));
        }
    }

    /** Valid messages of every type in both directions, built from a sample of corpus events. */
    private static List<String> validMessages(Random random) {
        List<Event> events = TestCorpus.events();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Event e = events.get(random.nextInt(events.size()));
            Filter f = filterFor(e, random.nextInt(4));
            String sub = "sub-" + i;
            out.add(MessageCodec.encode(new ClientMessage.EventMessage(e)));
            out.add(MessageCodec.encode(new ClientMessage.Auth(e)));
            out.add(MessageCodec.encode(new ClientMessage.Req(sub, List.of(f, Filter.any()))));
            out.add(MessageCodec.encode(new ClientMessage.Count(sub, List.of(f))));
            out.add(MessageCodec.encode(new ClientMessage.Close(sub)));
            out.add(MessageCodec.encode(new ClientMessage.NegOpen(sub, f, "6100000200")));
            out.add(MessageCodec.encode(new ClientMessage.NegMsg(sub, "61aB")));
            out.add(MessageCodec.encode(new ClientMessage.NegClose(sub)));
            out.add(MessageCodec.encode(new RelayMessage.EventMessage(sub, e)));
            out.add(MessageCodec.encode(new RelayMessage.Ok(e.id(), i % 2 == 0, "invalid: no")));
            out.add(MessageCodec.encode(new RelayMessage.CountResult(sub, i, true, "00")));
        }
        return out;
    }

    private static Filter filterFor(Event e, int shape) {
        return switch (shape) {
            case 0 -> new Filter(Set.of(e.id()), null, null, Map.of(), null, null, 10, null);
            case 1 -> new Filter(null, Set.of(e.pubkey()), Set.of(e.kind()), Map.of(), e.createdAt(), null, null, null);
            case 2 -> new Filter(null, null, null, Map.of('t', Set.of("nostr", "x\"y")), null, e.createdAt(), 5, null);
            default -> new Filter(null, null, Set.of(1, 7), Map.of(), null, null, null, e.content());
        };
    }

    private static String pick(Random random, String[] tokens) {
        return tokens[random.nextInt(tokens.length)];
    }

    private static String show(String input) {
        String s = input.length() > 300 ? input.substring(0, 300) + "...(" + input.length() + " chars)" : input;
        return s.replace("\n", "\\n");
    }
}
