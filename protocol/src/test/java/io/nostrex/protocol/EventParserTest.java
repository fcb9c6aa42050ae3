package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventParserTest {
    private static final String ID = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
    private static final String PUBKEY = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private static final String SIG = "ab".repeat(64);

    /** A well-formed event as raw JSON values, in field order; each case replaces or removes one. */
    private static Map<String, String> valid() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", quote(ID));
        fields.put("pubkey", quote(PUBKEY));
        fields.put("created_at", "1700000000");
        fields.put("kind", "1");
        fields.put("tags", "[[\"t\",\"nostr\"],[\"-\"]]");
        fields.put("content", quote("hello"));
        fields.put("sig", quote(SIG));
        return fields;
    }

    /** The valid event with {@code field} set to the raw JSON {@code raw}, or removed when raw is null. */
    private static String with(String field, String raw) {
        Map<String, String> fields = valid();
        if (raw == null) {
            fields.remove(field);
        } else {
            fields.put(field, raw);
        }
        return json(fields);
    }

    private static final Event EXPECTED = new Event(ID, PUBKEY, 1700000000, 1,
            List.of(List.of("t", "nostr"), List.of("-")), "hello", SIG);

    @Test
    void wellFormedEventParsesIntoItsFields() throws Exception {
        assertThat(EventParser.parse(json(valid()))).isEqualTo(EXPECTED);
        assertThat(EventParser.parse(json(valid()).getBytes(StandardCharsets.UTF_8))).isEqualTo(EXPECTED);
    }

    /**
     * Bytes are UTF-8 or nothing: Jackson's byte parser would read an event in UTF-16 or UTF-32
     * (told by its zero bytes or a byte order mark) and skip a UTF-8 byte order mark, which the text
     * parse refuses. Found by the Jazzer target EventParserFuzzer.
     */
    @Test
    void bytesInAnotherEncodingThanUtf8OrWithAByteOrderMarkAreMalformed() throws Exception {
        String text = json(valid());
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] withBom = new byte[bom.length + text.length()];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(text.getBytes(StandardCharsets.UTF_8), 0, withBom, bom.length, text.length());
        for (byte[] bytes : List.of(text.getBytes(StandardCharsets.UTF_16LE), text.getBytes(StandardCharsets.UTF_16BE),
                text.getBytes(StandardCharsets.UTF_16), text.getBytes(java.nio.charset.Charset.forName("UTF-32BE")),
                withBom, new byte[] {0, 0, 0, '4'})) {
            assertThatThrownBy(() -> EventParser.parse(bytes)).isInstanceOf(InvalidEventException.class)
                    .hasMessageStartingWith("invalid: malformed JSON");
            assertThatThrownBy(() -> Json.read(bytes)).isInstanceOf(Json.MalformedJsonException.class);
        }
        // and a number Jackson's text parser takes past its bound gets the text's answer from the bytes
        String longExponent = "-33333333333333333333e333333333324444444444444444444444444431333331";
        assertThatThrownBy(() -> EventParser.parse(longExponent.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("invalid: event is not a JSON object");
    }

    @Test
    void unknownTopLevelFieldsAreTolerated() throws Exception {
        // Given
        Map<String, String> fields = valid();
        fields.put("seen_on", "[\"wss://relay.example.com\"]");
        fields.put("extra", "{\"nested\":[1,2.5,null,true]}");

        // When / Then
        assertThat(EventParser.parse(json(fields))).isEqualTo(EXPECTED);
    }

    static Stream<Arguments> defects() {
        String notLowerHex = " is not 64 lowercase hex characters";
        return Stream.of(
                // missing fields, and null treated as missing
                Arguments.of("missing id", with("id", null), "missing id"),
                Arguments.of("missing pubkey", with("pubkey", null), "missing pubkey"),
                Arguments.of("missing created_at", with("created_at", null), "missing created_at"),
                Arguments.of("missing kind", with("kind", null), "missing kind"),
                Arguments.of("missing tags", with("tags", null), "missing tags"),
                Arguments.of("missing content", with("content", null), "missing content"),
                Arguments.of("missing sig", with("sig", null), "missing sig"),
                Arguments.of("null id", with("id", "null"), "missing id"),
                Arguments.of("null content", with("content", "null"), "missing content"),
                // id and pubkey: exactly 64 lowercase hex characters
                Arguments.of("id uppercase", with("id", quote(ID.toUpperCase())), "id" + notLowerHex),
                Arguments.of("id 63 chars", with("id", quote(ID.substring(1))), "id" + notLowerHex),
                Arguments.of("id 65 chars", with("id", quote(ID + "0")), "id" + notLowerHex),
                Arguments.of("id non-hex", with("id", quote("g" + ID.substring(1))), "id" + notLowerHex),
                Arguments.of("id a number", with("id", "12345"), "id" + notLowerHex),
                Arguments.of("id empty", with("id", quote("")), "id" + notLowerHex),
                Arguments.of("pubkey uppercase", with("pubkey", quote(PUBKEY.toUpperCase())), "pubkey" + notLowerHex),
                Arguments.of("pubkey 63 chars", with("pubkey", quote(PUBKEY.substring(1))), "pubkey" + notLowerHex),
                Arguments.of("pubkey 65 chars", with("pubkey", quote(PUBKEY + "0")), "pubkey" + notLowerHex),
                Arguments.of("pubkey non-hex", with("pubkey", quote("z" + PUBKEY.substring(1))), "pubkey" + notLowerHex),
                Arguments.of("pubkey a number", with("pubkey", "1"), "pubkey" + notLowerHex),
                // sig: exactly 128 lowercase hex characters
                Arguments.of("sig 127 chars", with("sig", quote(SIG.substring(1))), "sig is not 128 lowercase hex characters"),
                Arguments.of("sig 129 chars", with("sig", quote(SIG + "0")), "sig is not 128 lowercase hex characters"),
                Arguments.of("sig uppercase", with("sig", quote(SIG.toUpperCase())), "sig is not 128 lowercase hex characters"),
                Arguments.of("sig 64 chars", with("sig", quote(ID)), "sig is not 128 lowercase hex characters"),
                // kind: an integer in 0..65535
                Arguments.of("kind -1", with("kind", "-1"), "kind is outside 0..65535"),
                Arguments.of("kind 65536", with("kind", "65536"), "kind is outside 0..65535"),
                Arguments.of("kind beyond int", with("kind", "4294967297"), "kind is outside 0..65535"),
                Arguments.of("kind 1.5", with("kind", "1.5"), "kind is not an integer"),
                Arguments.of("kind 1.0", with("kind", "1.0"), "kind is not an integer"),
                Arguments.of("kind \"1\"", with("kind", "\"1\""), "kind is not an integer"),
                Arguments.of("kind 1e3", with("kind", "1e3"), "kind is not an integer"),
                // created_at: a non-negative integer that fits a long
                Arguments.of("created_at 1.5", with("created_at", "1.5"), "created_at is not an integer"),
                Arguments.of("created_at \"1\"", with("created_at", "\"1\""), "created_at is not an integer"),
                Arguments.of("created_at -1", with("created_at", "-1"), "created_at is out of range"),
                Arguments.of("created_at 30 digits", with("created_at", "123456789012345678901234567890"),
                        "created_at is out of range"),
                // tags: an array of arrays of strings
                Arguments.of("tags an object", with("tags", "{}"), "tags is not an array"),
                Arguments.of("tags a string", with("tags", "\"e\""), "tags is not an array"),
                Arguments.of("tag a string", with("tags", "[\"e\"]"), "tag 0 is not an array"),
                Arguments.of("second tag null", with("tags", "[[\"e\"],null]"), "tag 1 is not an array"),
                Arguments.of("tag element a number", with("tags", "[[\"k\",1]]"), "tag 0 has an element that is not a string"),
                Arguments.of("tag element null", with("tags", "[[\"e\",null]]"), "tag 0 has an element that is not a string"),
                Arguments.of("tag element an array", with("tags", "[[\"e\",[]]]"), "tag 0 has an element that is not a string"),
                // content: a string with a UTF-8 form
                Arguments.of("content a number", with("content", "1"), "content is not a string"),
                Arguments.of("content an array", with("content", "[\"a\"]"), "content is not a string"),
                Arguments.of("content unpaired \\ud800", with("content", "\"a\\ud800b\""),
                        "content contains an unpaired surrogate (invalid UTF-8)"),
                Arguments.of("content lone low \\udc00", with("content", "\"\\udc00\""),
                        "content contains an unpaired surrogate (invalid UTF-8)"),
                Arguments.of("content reversed pair", with("content", "\"\\ude00\\ud83d\""),
                        "content contains an unpaired surrogate (invalid UTF-8)"),
                Arguments.of("tag with unpaired \\ud800", with("tags", "[[\"t\",\"ok\"],[\"t\",\"\\ud800\"]]"),
                        "tag 1 contains an unpaired surrogate (invalid UTF-8)"),
                // the document itself
                Arguments.of("not an object", "[]", "event is not a JSON object"),
                Arguments.of("null document", "null", "event is not a JSON object"),
                Arguments.of("empty document", "", "malformed JSON: empty input"),
                Arguments.of("duplicate key", json(valid()).replace("\"kind\":1,", "\"kind\":1,\"kind\":2,"),
                        "malformed JSON: Duplicate field 'kind'"),
                Arguments.of("trailing object", json(valid()) + "{}",
                        "malformed JSON: Trailing token (of type START_OBJECT) found after the event"),
                Arguments.of("trailing bracket", json(valid()) + "]",
                        "malformed JSON: Unexpected close marker ']': no open Array to close"),
                Arguments.of("NaN kind", with("kind", "NaN"),
                        "malformed JSON: Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"),
                Arguments.of("leading zero kind", with("kind", "01"),
                        "malformed JSON: Invalid numeric value: Leading zeroes not allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void eachDefectHasItsOwnMessage(String defect, String json, String reason) {
        assertThatThrownBy(() -> EventParser.parse(json))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("invalid: " + reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void theSameDefectsAreFoundInUtf8Bytes(String defect, String json, String reason) {
        assertThatThrownBy(() -> EventParser.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("invalid: " + reason);
    }

    @Test
    void invalidUtf8InsideContentIsRejected() {
        // Given "content":"a<C3 28>b": 0xC3 starts a 2-byte sequence, 0x28 is not a continuation byte
        byte[] bytes = withRawContentBytes(0x61, 0xC3, 0x28, 0x62);

        // When / Then: refused, naming where the bad sequence starts
        assertThatThrownBy(() -> EventParser.parse(bytes))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("invalid: malformed JSON: Invalid UTF-8 at byte ")
                .satisfies(e -> assertThat(bytes[Integer.parseInt(e.getMessage().replaceAll(".* ", ""))]).isEqualTo((byte) 0xC3));
    }

    static Stream<int[]> invalidUtf8() {
        return Stream.of(
                new int[] {0x80},                   // lone continuation byte
                new int[] {0xFF},                   // never valid
                new int[] {0xC0, 0xAF},             // overlong '/'
                new int[] {0xE0, 0x80, 0xAF},       // overlong 3-byte '/'
                new int[] {0xF0, 0x80, 0x80, 0xAF}, // overlong 4-byte '/'
                new int[] {0xED, 0xA0, 0x80},       // encoded surrogate U+D800
                new int[] {0xF4, 0x90, 0x80, 0x80}, // beyond U+10FFFF
                new int[] {0xE4, 0xB8});            // truncated before the closing quote
    }

    @ParameterizedTest
    @MethodSource("invalidUtf8")
    void everyKindOfInvalidUtf8IsRejected(int[] sequence) {
        byte[] bytes = withRawContentBytes(sequence);

        assertThatThrownBy(() -> EventParser.parse(bytes))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("invalid: malformed JSON: Invalid UTF-8");
    }

    @Test
    void validMultiByteUtf8AndEscapedSurrogatePairsAreAccepted() throws Exception {
        byte[] bytes = withRawContentBytes(0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80);
        assertThat(EventParser.parse(bytes).content()).isEqualTo("\u4e2d\ud83d\ude00");
        assertThat(EventParser.parse(with("content", "\"\\ud83d\\ude00\"")).content()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void everyCorpusEventWrittenByEventJsonParsesBackEqual() throws Exception {
        List<String> different = new ArrayList<>();
        for (Event e : TestCorpus.events()) {
            String written = EventJson.write(e);
            if (!EventParser.parse(written).equals(e)
                    || !EventParser.parse(written.getBytes(StandardCharsets.UTF_8)).equals(e)) {
                different.add(e.id());
            }
        }
        assertThat(TestCorpus.events()).hasSize(TestCorpus.SIZE);
        assertThat(different).isEmpty();
    }

    @Test
    void everyAsciiCodePointSurvivesEventJsonRoundTrip() throws Exception {
        // Given content and a tag holding all of 0x00..0x7F, including controls EventJson writes as \\u00XX
        StringBuilder all = new StringBuilder();
        IntStream.rangeClosed(0, 0x7F).forEach(c -> all.append((char) c));
        Event event = new Event(ID, PUBKEY, 1, 1, List.of(List.of("t", all.toString())), all.toString(), SIG);

        // When
        String written = EventJson.write(event);

        // Then
        assertThat(written).contains("\\u0000", "\\u001f", "\\n", "\\\"", "\\\\", "\u007f", "/");
        assertThat(EventParser.parse(written)).isEqualTo(event);
    }

    private static byte[] withRawContentBytes(int... raw) {
        String[] halves = with("content", "\"@\"").split("@");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(halves[0].getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(halves[1].getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String json(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        return sb.append('}').toString();
    }
}
