package io.nostrex.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a filter object. Errors name the field and the rule, e.g.
 * {@code "ids must be 64 lowercase hex characters"}. Unknown plain keys are ignored (as most relays
 * do); a {@code #} key that is not {@code #} plus one ASCII letter is an error.
 */
public final class FilterParser {
    private FilterParser() {}

    /** Thrown for a filter that breaks a rule; the message has no NIP-01 prefix. */
    public static final class InvalidFilterException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidFilterException(String message) {
            super(message);
        }
    }

    public static Filter parse(JsonNode node) throws InvalidFilterException {
        if (node == null || !node.isObject()) {
            throw new InvalidFilterException("filter is not a JSON object");
        }
        Set<String> ids = hexSet(node.get("ids"), "ids");
        Set<String> authors = hexSet(node.get("authors"), "authors");
        Set<Integer> kinds = kinds(node.get("kinds"));
        Map<Character, Set<String>> tags = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().startsWith("#")) {
                char letter = tagLetter(field.getKey());
                tags.put(letter, tagValues(letter, field.getValue()));
            }
        }
        Long since = timestamp(node.get("since"), "since");
        Long until = timestamp(node.get("until"), "until");
        Long limit = timestamp(node.get("limit"), "limit");
        String search = search(node.get("search"));
        Integer intLimit = limit == null ? null : (int) Math.min(limit, Integer.MAX_VALUE);
        return new Filter(ids, authors, kinds, tags, since, until, intLimit, search);
    }

    private static Set<String> hexSet(JsonNode value, String field) throws InvalidFilterException {
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidFilterException(field + " must be an array");
        }
        Set<String> out = new HashSet<>();
        for (JsonNode element : value) {
            if (!element.isTextual() || !Hex.isLowerHex(element.textValue(), 64)) {
                throw new InvalidFilterException(field + " must be 64 lowercase hex characters");
            }
            out.add(element.textValue());
        }
        return out;
    }

    private static Set<Integer> kinds(JsonNode value) throws InvalidFilterException {
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidFilterException("kinds must be an array");
        }
        Set<Integer> out = new HashSet<>();
        for (JsonNode element : value) {
            if (!element.isIntegralNumber() || !element.canConvertToInt()
                    || element.intValue() < 0 || element.intValue() > KindClass.MAX_KIND) {
                throw new InvalidFilterException("kinds must be integers in 0..65535");
            }
            out.add(element.intValue());
        }
        return out;
    }

    private static char tagLetter(String key) throws InvalidFilterException {
        if (key.length() != 2 || !isAsciiLetter(key.charAt(1))) {
            throw new InvalidFilterException("tag filter " + abbreviate(key) + " must be # and a single letter");
        }
        return key.charAt(1);
    }

    private static Set<String> tagValues(char letter, JsonNode value) throws InvalidFilterException {
        if (letter == 'e' || letter == 'p') {
            return hexSet(value, "#" + letter);
        }
        if (!value.isArray()) {
            throw new InvalidFilterException("#" + letter + " must be an array");
        }
        Set<String> out = new HashSet<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new InvalidFilterException("#" + letter + " must be an array of strings");
            }
            out.add(element.textValue());
        }
        return out;
    }

    private static Long timestamp(JsonNode value, String field) throws InvalidFilterException {
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new InvalidFilterException(field + " must be a non-negative integer");
        }
        return value.longValue();
    }

    private static String search(JsonNode value) throws InvalidFilterException {
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidFilterException("search must be a string");
        }
        return value.textValue();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }
}
