package io.nostrex.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Strict parsing of an event object. Each defect has its own message; unknown top-level fields are
 * tolerated. Checks shape only: the id and signature are checked by {@link EventVerifier}.
 */
public final class EventParser {
    private EventParser() {}

    public static Event parse(String json) throws InvalidEventException {
        try {
            return parse(Json.read(json));
        } catch (Json.MalformedJsonException e) {
            throw InvalidEventException.invalid("malformed JSON: " + e.getMessage());
        }
    }

    public static Event parse(byte[] utf8) throws InvalidEventException {
        try {
            return parse(Json.read(utf8));
        } catch (Json.MalformedJsonException e) {
            throw InvalidEventException.invalid("malformed JSON: " + e.getMessage());
        }
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
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw InvalidEventException.invalid(where + " contains an unpaired surrogate (invalid UTF-8)");
            }
        }
        return s;
    }
}
