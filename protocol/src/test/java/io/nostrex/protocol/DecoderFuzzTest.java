package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.fuzz.EventParserFuzzer;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of the decoders with jqwik: text of every shape (random characters, JSON-like junk of
 * every depth and verb, mutated real messages) into the client-message decoder, the event parser
 * and the filter parser. Nothing but the typed errors may come out. Events built from random
 * fields must get the id an independent serializer computes, and survive a write-parse-write
 * round trip byte for byte. Inputs per property: {@code jqwik.tries.default} (10,000 in the build;
 * the longer run is in docs/RELIABILITY.md).
 */
class DecoderFuzzTest {
    private static final List<String> VERBS = List.of("EVENT", "REQ", "CLOSE", "COUNT", "AUTH", "NEG-OPEN", "NEG-MSG",
            "NEG-CLOSE", "NEG-ERR", "OK", "EOSE", "NOTICE", "event", "", "REQ ", "\u0000");
    private static final List<String> KEYS = List.of("id", "pubkey", "created_at", "kind", "tags", "content", "sig",
            "ids", "authors", "kinds", "#e", "#p", "#t", "#", "since", "until", "limit", "search", "", "\"", "__proto__");
    private static final EventSigner SIGNER = EventSigner.random();
    private static final Arbitrary<String> ARGUMENTS = values(3);
    private static final Arbitrary<String> JUNK_VALUES = values(4);

    // ---- generators

    /** Numbers of every awkward form: huge, negative, fractional, exponents, leading zeros. */
    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(n -> Long.toString(n)),
                Arbitraries.integers().between(-2, 70_000).map(n -> Integer.toString(n)),
                Arbitraries.of("1e400", "-1e400", "1E-400", "0.5", "-0", "00", "01", "1.", ".1", "1e", "NaN", "Infinity",
                        "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809", "4294967296",
                        "1" + "0".repeat(70)),
                Arbitraries.doubles().map(d -> Double.toString(d)));
    }

    /** JSON string literals: printable, control characters, escapes (valid and not), surrogates, non-ASCII. */
    private static Arbitrary<String> stringLiterals() {
        Arbitrary<String> raw = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> escapes = Arbitraries.of("\\n", "\\\"", "\\\\", "\\u0000", "\\ud800", "\\udc00",
                "\\ud83d\\ude00", "\\x41", "\\", "\\u12", "\\/", "\u2028", "\uD83D\uDE00", "\uFFFF", "\u00e9")
                .list().ofMaxSize(4).map(l -> String.join("", l));
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(64);
        return Arbitraries.oneOf(raw, escapes, hex, Arbitraries.of(VERBS), Arbitraries.of(KEYS))
                .map(s -> "\"" + s.replace("\"", "\\\"") + "\"");
    }

    /** JSON-like values nested up to {@code depth}; some of them not JSON at all. */
    private static Arbitrary<String> values(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(numbers(), stringLiterals(),
                Arbitraries.of("true", "false", "null", "nul", "tru", "undefined", "", ",", "]", "}", "'x'"));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<String> arrays = values(depth - 1).list().ofMaxSize(6).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> objects = Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.of(KEYS).map(k -> "\"" + k + "\""), stringLiterals()),
                        values(depth - 1))
                .as((k, v) -> k + ":" + v).list().ofMaxSize(8).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(scalars, arrays, objects);
    }

    /** Client messages of every verb with junk arguments, and junk that is not a message. */
    @Provide
    Arbitrary<String> junkMessages() {
        Arbitrary<String> messages = Combinators.combine(Arbitraries.of(VERBS), ARGUMENTS.list().ofMaxSize(5))
                .as((verb, args) -> "[\"" + verb + "\"" + (args.isEmpty() ? "" : "," + String.join(",", args)) + "]");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, messages),
                net.jqwik.api.Tuple.of(20, JUNK_VALUES),
                net.jqwik.api.Tuple.of(15, Arbitraries.strings().ofMaxLength(200)),
                net.jqwik.api.Tuple.of(24, mutatedRealMessages()),
                net.jqwik.api.Tuple.of(1, wideFilters()));
    }

    /** A REQ with a thousand filters, or a filter of ten thousand authors. */
    private static Arbitrary<String> wideFilters() {
        Arbitrary<String> manyFilters = Arbitraries.integers().between(11, 1_000)
                .map(n -> "[\"REQ\",\"s\"" + ",{\"kinds\":[1]}".repeat(n) + "]");
        Arbitrary<String> manyAuthors = Arbitraries.integers().between(1, 10_000)
                .map(n -> "[\"REQ\",\"s\",{\"authors\":[" + String.join(",",
                        java.util.Collections.nCopies(n, "\"" + "a".repeat(64) + "\"")) + "]}]");
        return Arbitraries.oneOf(manyFilters, manyAuthors);
    }

    /** A real EVENT, REQ or COUNT with characters flipped, dropped or inserted. */
    private static Arbitrary<String> mutatedRealMessages() {
        String event = "[\"EVENT\"," + EventJson.write(SIGNER.sign(1_700_000_000L, 1,
                List.of(List.of("e", "b".repeat(64)), List.of("t", "nostr")), "hello \"world\"\n")) + "]";
        String req = "[\"REQ\",\"sub\",{\"kinds\":[1,7],\"#t\":[\"nostr\"],\"since\":1700000000,\"limit\":10},"
                + "{\"ids\":[\"" + "c".repeat(64) + "\"]}]";
        String count = "[\"COUNT\",\"c\",{\"authors\":[\"" + "d".repeat(64) + "\"],\"search\":\"best relay\"}]";
        return Combinators.combine(Arbitraries.of(event, req, count),
                        Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1),
                        Arbitraries.chars().all(), Arbitraries.integers().between(1, 3))
                .as((text, op, where, ch, times) -> {
                    StringBuilder sb = new StringBuilder(text);
                    for (int t = 0; t < times; t++) {
                        int at = (int) (where * sb.length() * (t + 1) / times) % Math.max(1, sb.length());
                        switch (op) {
                            case 0 -> sb.setCharAt(at, ch);
                            case 1 -> sb.deleteCharAt(at);
                            default -> sb.insert(at, ch);
                        }
                    }
                    return sb.toString();
                });
    }

    @Provide
    Arbitrary<String> validUnicode() {
        return Arbitraries.strings().ofMaxLength(60).filter(DecoderFuzzTest::isWellFormed);
    }

    @Provide
    Arbitrary<List<List<String>>> tags() {
        return Arbitraries.strings().ofMaxLength(12).filter(DecoderFuzzTest::isWellFormed)
                .list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(5);
    }

    private static boolean isWellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    // ---- properties

    @Property
    void theClientDecoderGivesAMessageOrATypedError(@ForAll("junkMessages") String text) {
        try {
            ClientMessage m = MessageCodec.decodeClient(text);
            assertThat(m).isNotNull();
        } catch (MessageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property
    void theEventParserGivesAnEventOrATypedError(@ForAll("junkMessages") String text) {
        try {
            assertThat(EventParser.parse(text)).isNotNull();
        } catch (InvalidEventException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            assertThat(EventParser.parse(text.getBytes(StandardCharsets.UTF_8))).isNotNull();
        } catch (InvalidEventException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property
    void theFilterParserGivesAFilterOrATypedError(@ForAll("junkMessages") String text) {
        JsonNode node;
        try {
            node = Json.read(text);
        } catch (Json.MalformedJsonException notJson) {
            return;
        }
        try {
            assertThat(FilterParser.parse(node)).isNotNull();
        } catch (FilterParser.InvalidFilterException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /**
     * Objects with the event's fields (and others), each absent, valid, or of a junk or edge value,
     * in any order, sometimes repeated; and real events with a field spoiled.
     */
    @Provide
    Arbitrary<String> eventLikeObjects() {
        Event real = SIGNER.sign(1_700_000_000L, 1, List.of(List.of("t", "nostr"), List.of("-")), "hi \"there\"");
        Arbitrary<String> hex64 = Arbitraries.strings().withChars("0123456789abcdefA").ofLength(64).map(h -> "\"" + h + "\"");
        Arbitrary<String> tagsJunk = Arbitraries.of("[]", "[[]]", "[[\"t\"],[\"e\",\"x\"]]", "[[1]]", "[\"t\"]", "[[\"a\",null]]",
                "[[\"a\",[\"b\"]],[2]]", "[[\"\\ud800\"]]", "[[\"a\"],{\"b\":[1]},[\"\\udc00\",3]]", "{}", "[[\"x\",\"y\",{}]]");
        Arbitrary<String> field = Arbitraries.oneOf(JUNK_VALUES, hex64, tagsJunk, numbers(),
                Arbitraries.of("null", "\"" + real.id() + "\"", "\"" + real.sig() + "\"", "1", "65535", "65536", "-1",
                        "1.0", "2147483648", "9223372036854775807"));
        List<String> names = List.of("id", "pubkey", "created_at", "kind", "tags", "content", "sig", "extra", "kind");
        Arbitrary<String> objects = Combinators.combine(Arbitraries.of(names), field).as((k, v) -> "\"" + k + "\":" + v)
                .list().ofMaxSize(9).map(l -> "{" + String.join(",", l) + "}");
        String json = EventJson.write(real);
        Arbitrary<String> spoil = Combinators.combine(Arbitraries.of("id", "pubkey", "created_at", "kind", "tags",
                "content", "sig"), field).as((k, v) -> k + "=" + v);
        Arbitrary<String> spoiled = Combinators.combine(spoil.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of("", "", "", " ", "{}", "]", "x"))
                .as((spoils, tail) -> {
                    String text = json;
                    for (String kv : spoils) {
                        String k = kv.substring(0, kv.indexOf('='));
                        text = text.replaceFirst("\"" + k + "\":(\\[\\[.*?\\]\\]|\"[^\"]*\"|[0-9]+)",
                                java.util.regex.Matcher.quoteReplacement("\"" + k + "\":" + kv.substring(k.length() + 1)));
                    }
                    return text + tail;
                });
        return Arbitraries.oneOf(objects, spoiled, Arbitraries.just(json), junkMessages());
    }

    /**
     * The streaming parse every stage runs agrees with the tree parse of the same text, and every
     * event it gives keeps the rules of {@link EventParserFuzzer} (the Jazzer target this is).
     */
    @Property
    void theStreamingParseAgreesWithTheTreeParse(@ForAll("eventLikeObjects") String text) {
        EventParserFuzzer.fuzzerTestOneInput(text.getBytes(StandardCharsets.UTF_8)); // a FuzzFinding fails it
        Object tree = EventParserFuzzer.treeParse(text);
        net.jqwik.api.statistics.Statistics.label("tree parse").collect(tree instanceof Event ? "event"
                : ((String) tree).contains("malformed JSON") ? "malformed JSON" : "a defect of a field");
    }

    @Example
    void deepNestingIsATypedErrorNotAStackOverflow() {
        for (int depth : new int[] {65, 1_000, 100_000}) {
            String deep = "[\"REQ\",\"s\"," + "[".repeat(depth) + "]".repeat(depth) + "]";
            String deepObject = "[\"EVENT\"," + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "]";
            for (String text : List.of(deep, deepObject, "[".repeat(depth))) {
                try {
                    MessageCodec.decodeClient(text);
                } catch (MessageException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Property
    void theCanonicalIdIsWhatAnIndependentSerializerGives(@ForAll("validUnicode") String content,
                                                         @ForAll("tags") List<List<String>> tags,
                                                         @ForAll long createdAt, @ForAll int kind) {
        String pubkey = SIGNER.pubkey();
        byte[] ours = Canonical.serialize(pubkey, createdAt, kind, tags, content);
        byte[] independent = Nip01Reference.serialize(pubkey, createdAt, kind, tags, content);
        assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(new String(independent, StandardCharsets.UTF_8));
        assertThat(Hex.encode(Canonical.sha256(ours))).isEqualTo(Hex.encode(Canonical.sha256(independent)));
    }

    @Property(tries = 2_000)
    void aSignedEventSurvivesWriteParseWriteByteForByteAndVerifies(@ForAll("validUnicode") String content,
                                                                  @ForAll("tags") List<List<String>> tags) throws Exception {
        Event e = SIGNER.sign(1_700_000_000L, 1, tags, content);
        String json = EventJson.write(e);
        Event parsed = EventParser.parse(json);
        assertThat(parsed).isEqualTo(e);
        assertThat(EventJson.write(parsed)).isEqualTo(json);
        assertThat(parsed.id()).isEqualTo(Canonical.id(parsed));
        EventVerifier.best().verify(parsed); // throws when the id or the signature is wrong
    }
}
