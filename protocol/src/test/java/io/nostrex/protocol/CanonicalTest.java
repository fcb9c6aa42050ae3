package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden bytes for the NIP-01 canonical serialization. Every expectation is written out here by hand
 * (or computed with plain byte arithmetic), never by calling the code under test.
 */
class CanonicalTest {
    private static final String PUBKEY = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private static final String PREFIX = "[0,\"" + PUBKEY + "\",1700000000,1,";

    /** The seven escapes NIP-01 lists; every other code point 0x00..0x7F is written as its own byte. */
    private static byte[] expectedAsciiEscape(int c) {
        return switch (c) {
            case 0x0A -> ascii("\\n");
            case 0x22 -> ascii("\\\"");
            case 0x5C -> ascii("\\\\");
            case 0x0D -> ascii("\\r");
            case 0x09 -> ascii("\\t");
            case 0x08 -> ascii("\\b");
            case 0x0C -> ascii("\\f");
            default -> new byte[] {(byte) c};
        };
    }

    static IntStream asciiCodePoints() {
        return IntStream.rangeClosed(0x00, 0x7F);
    }

    @ParameterizedTest(name = "content U+{0}")
    @MethodSource("asciiCodePoints")
    void everyAsciiCodePointInContentIsEscapedOnlyWhenNip01SaysSo(int c) {
        // Given content made of one ASCII code point between two markers
        String content = "<" + (char) c + ">";

        // When
        byte[] bytes = Canonical.serialize(PUBKEY, 1700000000, 1, List.of(), content);

        // Then
        byte[] expected = concat(ascii(PREFIX + "[],\"<"), expectedAsciiEscape(c), ascii(">\"]"));
        assertThat(bytes).isEqualTo(expected);
    }

    @ParameterizedTest(name = "tag value U+{0}")
    @MethodSource("asciiCodePoints")
    void everyAsciiCodePointInATagValueIsEscapedOnlyWhenNip01SaysSo(int c) {
        // Given
        List<List<String>> tags = List.of(List.of("t", String.valueOf((char) c)));

        // When
        byte[] bytes = Canonical.serialize(PUBKEY, 1700000000, 1, tags, "");

        // Then
        byte[] expected = concat(ascii(PREFIX + "[[\"t\",\""), expectedAsciiEscape(c), ascii("\"]],\"\"]"));
        assertThat(bytes).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            e acute          | \u00e9             | c3a9
            U+0080 (first 2-byte) | \u0080        | c280
            U+07FF (last 2-byte)  | \u07ff        | dfbf
            U+0800 (first 3-byte) | \u0800        | e0a080
            CJK                   | \u4e2d        | e4b8ad
            U+D7FF (before surrogates) | \ud7ff   | ed9fbf
            U+E000 (after surrogates)  | \ue000   | ee8080
            U+FFFF (last 3-byte)  | \uffff        | efbfbf
            emoji (surrogate pair) | \ud83d\ude00 | f09f9880
            U+10000 (first 4-byte) | \ud800\udc00 | f0908080
            U+10FFFF (last code point) | \udbff\udfff | f48fbfbf
            HTML less-than        | <             | 3c
            HTML greater-than     | >             | 3e
            HTML ampersand        | &             | 26
            """)
    void nonAsciiAndHtmlCharactersAreWrittenAsPlainUtf8(String name, String text, String expectedHex) {
        // When
        byte[] bytes = Canonical.serialize(PUBKEY, 1700000000, 1, List.of(), text);

        // Then
        byte[] expected = concat(ascii(PREFIX + "[],\""), HexFormat.of().parseHex(expectedHex), ascii("\"]"));
        assertThat(bytes).as(name).isEqualTo(expected);
    }

    @Test
    void smallEventWithTagsHasGoldenBytesAndId() {
        // Given
        List<List<String>> tags = List.of(
                List.of("e", "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36",
                        "wss://relay.example.com/", "root"),
                List.of("t", "nostr"),
                List.of("-"),
                List.of("alt", "q\"\\/\n"));
        String content = "Say \"hi\"\n\tC:\\dir\r\b\f <b>&amp;</b> \u00e9 \u4e2d \ud83d\ude00 /\u007f";
        Event event = new Event("0".repeat(64), PUBKEY, 1700000000, 1, tags, content, "0".repeat(128));

        // When
        byte[] bytes = Canonical.serialize(event);
        String id = Canonical.id(event);

        // Then: the bytes and id also produced by an independent serializer (Python json.dumps)
        String golden = "[0,\"79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798\",1700000000,1,"
                + "[[\"e\",\"5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36\","
                + "\"wss://relay.example.com/\",\"root\"],[\"t\",\"nostr\"],[\"-\"],[\"alt\",\"q\\\"\\\\/\\n\"]],"
                + "\"Say \\\"hi\\\"\\n\\tC:\\\\dir\\r\\b\\f <b>&amp;</b> \u00e9 \u4e2d \ud83d\ude00 /\u007f\"]";
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(golden);
        assertThat(bytes).isEqualTo(golden.getBytes(StandardCharsets.UTF_8));
        assertThat(id).isEqualTo("5a6b1c24faea5af5154eb83213b4a3219f47b98b60b95c751af91e0f6fffafff");
    }

    @Test
    void emptyTagsEmptyTagAndEmptyStringsAreWrittenCompactly() {
        // Given
        List<List<String>> tags = List.of(List.of(), List.of(""));

        // When
        byte[] bytes = Canonical.serialize(PUBKEY, 0, 0, tags, "");

        // Then
        assertThat(bytes).isEqualTo(ascii("[0,\"" + PUBKEY + "\",0,0,[[],[\"\"]],\"\"]"));
    }

    @Test
    void everyCorpusEventHashesToItsId() {
        // Given
        List<Event> corpus = TestCorpus.events();
        List<String> mismatched = new ArrayList<>();

        // When
        for (Event e : corpus) {
            if (!Canonical.id(e).equals(e.id())) {
                mismatched.add(e.id());
            }
        }

        // Then
        assertThat(corpus).hasSize(TestCorpus.SIZE);
        assertThat(mismatched).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] unpaired surrogate")
    @ValueSource(strings = {"\ud800", "\udc00", "a\ud800b", "x\ud83d", "\ude00\ud83d", "\udbff\udbff"})
    void unpairedSurrogateInContentIsRejected(String content) {
        assertThatThrownBy(() -> Canonical.serialize(PUBKEY, 1, 1, List.of(), content))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unpaired surrogate at index");
    }

    static Stream<Arguments> unpairedInTag() {
        return Stream.of(Arguments.of("\ud800", 0), Arguments.of("ok\udfff", 2), Arguments.of("\ud83d\ude00\ud83d", 2));
    }

    @ParameterizedTest(name = "[{index}] tag value with unpaired surrogate at {1}")
    @MethodSource("unpairedInTag")
    void unpairedSurrogateInATagIsRejected(String value, int index) {
        List<List<String>> tags = List.of(List.of("t", value));

        assertThatThrownBy(() -> Canonical.serialize(PUBKEY, 1, 1, tags, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unpaired surrogate at index " + index);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
