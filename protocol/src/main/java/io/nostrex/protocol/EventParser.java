package io.nostrex.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Strict parsing of an event object. Each defect has its own message; unknown top-level fields are
 * tolerated. Checks shape only: the id and signature are checked by {@link EventVerifier}.
 *
 * <p>Text is read as a stream of tokens ({@link Streamed}), with no tree in between:
 * this is the parse every stage after the gateway runs on every event. It reads the whole input
 * before judging, so it gives the tree parse's answer for every input (the same event, or the same
 * message; a malformed input may be worded differently): the defects of the fields are reported in
 * the order id, pubkey, created_at, kind, tags, content, sig.
 */
public final class EventParser {
    private EventParser() {}

    public static Event parse(String json) throws InvalidEventException {
        try (JsonParser p = Json.parser(json)) {
            return Streamed.read(p);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /**
     * UTF-8 bytes: decoded strictly (any invalid sequence is malformed JSON), then parsed as text.
     * Not by Jackson's byte parser, which bounds numbers otherwise than its text parser (a number
     * of 67 characters with a long exponent passes one and not the other: found by the Jazzer
     * target EventParserFuzzer), so that bytes and their text always get the same answer.
     */
    public static Event parse(byte[] utf8) throws InvalidEventException {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(utf8);
        try {
            return parse(java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(in).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw InvalidEventException.invalid("malformed JSON: Invalid UTF-8 at byte " + in.position());
        }
    }

    private static InvalidEventException malformed(IOException e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return InvalidEventException.invalid("malformed JSON: " + new Json.MalformedJsonException(message).getMessage());
    }

    public static Event parse(JsonNode node) throws InvalidEventException {
        if (node == null || !node.isObject()) {
            throw InvalidEventException.invalid("event is not a JSON object");
        }
        String id = hex(node, "id", 64);
        String pubkey = hex(node, "pubkey", 64);
        long createdAt = createdAt(node.get("created_at"));
        int kind = kind(node.get("kind"));
        List<List<String>> tags = tags(node.get("tags"));
        String content = text(node.get("content"), "content");
        String sig = hex(node, "sig", 128);
        return new Event(id, pubkey, createdAt, kind, tags, content, sig);
    }

    private static String hex(JsonNode node, String field, int length) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw InvalidEventException.invalid("missing " + field);
        }
        if (!value.isTextual() || !Hex.isLowerHex(value.textValue(), length)) {
            throw InvalidEventException.invalid(field + " is not " + length + " lowercase hex characters");
        }
        return value.textValue();
    }

    private static long createdAt(JsonNode value) throws InvalidEventException {
        if (value == null || value.isNull()) {
            throw InvalidEventException.invalid("missing created_at");
        }
        if (!value.isIntegralNumber()) {
            throw InvalidEventException.invalid("created_at is not an integer");
        }
        if (!value.canConvertToLong() || value.longValue() < 0) {
            throw InvalidEventException.invalid("created_at is out of range");
        }
        return value.longValue();
    }

    private static int kind(JsonNode value) throws InvalidEventException {
        if (value == null || value.isNull()) {
            throw InvalidEventException.invalid("missing kind");
        }
        if (!value.isIntegralNumber()) {
            throw InvalidEventException.invalid("kind is not an integer");
        }
        if (!value.canConvertToInt() || value.intValue() < 0 || value.intValue() > KindClass.MAX_KIND) {
            throw InvalidEventException.invalid("kind is outside 0..65535");
        }
        return value.intValue();
    }

    private static List<List<String>> tags(JsonNode value) throws InvalidEventException {
        if (value == null || value.isNull()) {
            throw InvalidEventException.invalid("missing tags");
        }
        if (!value.isArray()) {
            throw InvalidEventException.invalid("tags is not an array");
        }
        List<List<String>> tags = new ArrayList<>(value.size());
        for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
            JsonNode tag = it.next();
            if (!tag.isArray()) {
                throw InvalidEventException.invalid("tag " + tags.size() + " is not an array");
            }
            List<String> strings = new ArrayList<>(tag.size());
            for (JsonNode element : tag) {
                if (!element.isTextual()) {
                    throw InvalidEventException.invalid("tag " + tags.size() + " has an element that is not a string");
                }
                strings.add(checkedText(element.textValue(), "tag " + tags.size()));
            }
            tags.add(strings);
        }
        return tags;
    }

    private static String text(JsonNode value, String field) throws InvalidEventException {
        if (value == null || value.isNull()) {
            throw InvalidEventException.invalid("missing " + field);
        }
        if (!value.isTextual()) {
            throw InvalidEventException.invalid(field + " is not a string");
        }
        return checkedText(value.textValue(), field);
    }

    /** Rejects strings holding an unpaired UTF-16 surrogate (from a \\u escape): they have no UTF-8 form. */
    private static String checkedText(String s, String where) throws InvalidEventException {
        String error = surrogateError(s, where);
        if (error != null) {
            throw InvalidEventException.invalid(error);
        }
        return s;
    }

    private static String surrogateError(String s, String where) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return where + " contains an unpaired surrogate (invalid UTF-8)";
            }
        }
        return null;
    }

    /**
     * One event object read token by token. Each field's first defect is kept as a message and
     * reported after the whole input was read, in the tree parse's order.
     */
    private static final class Streamed {
        private final JsonParser p;
        private String id;
        private String pubkey;
        private String content;
        private String sig;
        private String idError = "missing id";
        private String pubkeyError = "missing pubkey";
        private String createdAtError = "missing created_at";
        private String kindError = "missing kind";
        private String tagsError = "missing tags";
        private String contentError = "missing content";
        private String sigError = "missing sig";
        private long createdAt;
        private int kind;
        private List<List<String>> tags;

        private Streamed(JsonParser p) {
            this.p = p;
        }

        static Event read(JsonParser p) throws IOException, InvalidEventException {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new JsonParseException(p, "empty input");
            }
            Streamed s = new Streamed(p);
            boolean object = first == JsonToken.START_OBJECT;
            if (object) {
                s.fields();
            } else {
                p.skipChildren();
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after the event");
            }
            if (!object) {
                throw InvalidEventException.invalid("event is not a JSON object");
            }
            return s.event();
        }

        private void fields() throws IOException {
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> {
                        id = hex(t, 64);
                        idError = id == null ? error("id", t, 64) : null;
                    }
                    case "pubkey" -> {
                        pubkey = hex(t, 64);
                        pubkeyError = pubkey == null ? error("pubkey", t, 64) : null;
                    }
                    case "sig" -> {
                        sig = hex(t, 128);
                        sigError = sig == null ? error("sig", t, 128) : null;
                    }
                    case "created_at" -> createdAtError = createdAt(t);
                    case "kind" -> kindError = kind(t);
                    case "tags" -> tagsError = tags(t);
                    case "content" -> contentError = content(t);
                    default -> p.skipChildren();
                }
            }
        }

        private Event event() throws InvalidEventException {
            for (String error : new String[] {idError, pubkeyError, createdAtError, kindError, tagsError, contentError,
                    sigError}) {
                if (error != null) {
                    throw InvalidEventException.invalid(error);
                }
            }
            return new Event(id, pubkey, createdAt, kind, tags, content, sig);
        }

        private String hex(JsonToken t, int length) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                String value = p.getText();
                return Hex.isLowerHex(value, length) ? value : null;
            }
            p.skipChildren();
            return null;
        }

        private static String error(String field, JsonToken t, int length) {
            return t == JsonToken.VALUE_NULL ? "missing " + field
                    : field + " is not " + length + " lowercase hex characters";
        }

        private String createdAt(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return "missing created_at";
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
                return "created_at is not an integer";
            }
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                return "created_at is out of range";
            }
            createdAt = p.getLongValue();
            return null;
        }

        private String kind(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return "missing kind";
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
                return "kind is not an integer";
            }
            if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0
                    || p.getIntValue() > KindClass.MAX_KIND) {
                return "kind is outside 0..65535";
            }
            kind = p.getIntValue();
            return null;
        }

        private String content(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return "missing content";
            }
            if (t != JsonToken.VALUE_STRING) {
                p.skipChildren();
                return "content is not a string";
            }
            content = p.getText();
            return surrogateError(content, "content");
        }

        /** Reads the tags array to its end whatever it holds; returns its first defect, or null. */
        private String tags(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return "missing tags";
            }
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                return "tags is not an array";
            }
            List<List<String>> all = new ArrayList<>();
            String error = null;
            JsonToken tag;
            while ((tag = p.nextToken()) != JsonToken.END_ARRAY) {
                int index = all.size();
                if (tag != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    error = error != null ? error : "tag " + index + " is not an array";
                    all.add(List.of());
                    continue;
                }
                List<String> strings = new ArrayList<>(4);
                JsonToken element;
                while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (element != JsonToken.VALUE_STRING) {
                        p.skipChildren();
                        error = error != null ? error : "tag " + index + " has an element that is not a string";
                        continue;
                    }
                    String value = p.getText();
                    if (error == null) {
                        error = surrogateError(value, "tag " + index);
                    }
                    strings.add(value);
                }
                all.add(strings);
            }
            tags = all;
            return error;
        }
    }
}
