package io.nostrex.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The one Jackson configuration for reading Nostr JSON: strict (duplicate keys, trailing tokens
 * rejected) and bounded (nesting depth, number length, string length), so hostile input fails with
 * a parse error instead of exhausting the stack or the heap.
 */
public final class Json {
    public static final int MAX_NESTING_DEPTH = 64;
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final ObjectMapper MAPPER = newMapper();

    private Json() {}

    private static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(64 * 1024 * 1024)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        factory.disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A streaming parser over JSON text, with the same bounds and strictness as {@link #read(String)}. */
    public static JsonParser parser(String text) throws IOException {
        return MAPPER.getFactory().createParser(text);
    }

    /**
     * The bytes, when they can be UTF-8 JSON text. Jackson's byte parser guesses the encoding from the
     * first four bytes: a byte order mark, or a zero byte among them, makes it read UTF-16 or UTF-32,
     * so an event in UTF-16 would be accepted from bytes that as UTF-8 are not JSON. Neither can
     * start UTF-8 JSON text (RFC 8259 allows no BOM, and a zero byte is JSON nowhere), so both are
     * refused here. (Found by the Jazzer target {@code EventParserFuzzer}.)
     */
    private static byte[] utf8(byte[] bytes) throws JsonParseException {
        int b0 = bytes.length > 0 ? bytes[0] & 0xff : -1;
        if (b0 == 0xef || b0 == 0xfe || b0 == 0xff) {
            throw new JsonParseException(null, "not UTF-8 JSON text: it starts with a byte order mark or byte 0x"
                    + Integer.toHexString(b0));
        }
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            if (bytes[i] == 0) {
                throw new JsonParseException(null, "Illegal character ((CTRL-CHAR, code 0)) at byte " + i);
            }
        }
        return bytes;
    }

    /** Parses JSON text; a malformed or hostile input yields a {@link MalformedJsonException}. */
    public static JsonNode read(String text) throws MalformedJsonException {
        try {
            return check(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(e.getOriginalMessage());
        }
    }

    /** Parses UTF-8 JSON bytes; invalid UTF-8 is a {@link MalformedJsonException}. */
    public static JsonNode read(byte[] utf8) throws MalformedJsonException {
        try {
            return check(MAPPER.readTree(utf8(utf8)));
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedJsonException(e.getMessage());
        }
    }

    private static JsonNode check(JsonNode node) throws MalformedJsonException {
        if (node == null || node.isMissingNode()) {
            throw new MalformedJsonException("empty input");
        }
        return node;
    }

    /** Thrown for text that is not one well-formed, bounded JSON value. */
    public static final class MalformedJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedJsonException(String message) {
            super(firstLine(message));
        }

        private static String firstLine(String message) {
            if (message == null) {
                return "malformed JSON";
            }
            int nl = message.indexOf('\n');
            String line = nl < 0 ? message : message.substring(0, nl);
            return line.length() > 200 ? line.substring(0, 200) + "..." : line;
        }
    }
}
