package io.nostrex.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.message.MessageException.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A message array read element by element, in either direction. Every error names the message type
 * and the element, and carries the subscription id and event id read so far.
 */
final class MessageArray {
    private final JsonNode array;
    private final String type;
    private String subscriptionId;
    private String eventId;

    private MessageArray(JsonNode array, String type) {
        this.array = array;
        this.type = type;
    }

    /** Parses text into a non-empty array whose first element is a string (the type). */
    static MessageArray parse(String text) throws MessageException {
        JsonNode node;
        try {
            node = Json.read(text == null ? "" : text);
        } catch (Json.MalformedJsonException e) {
            throw new MessageException(Kind.MALFORMED_JSON, null, null, null, "malformed JSON: " + e.getMessage());
        }
        if (!node.isArray()) {
            throw new MessageException(Kind.NOT_AN_ARRAY, null, null, null, "message is not a JSON array");
        }
        if (node.isEmpty()) {
            throw new MessageException(Kind.WRONG_ARITY, null, null, null, "message is an empty array");
        }
        if (!node.get(0).isTextual()) {
            throw new MessageException(Kind.WRONG_TYPE, null, null, null, "message type is not a string");
        }
        return new MessageArray(node, node.get(0).textValue());
    }

    String type() {
        return type;
    }

    MessageException unknownType() {
        String shown = type.length() <= 32 && type.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? " " + type : "";
        return new MessageException(Kind.UNKNOWN_TYPE, null, null, null, "unknown message type" + shown);
    }

    MessageException error(Kind kind, String reason) {
        return new MessageException(kind, type, subscriptionId, eventId, reason);
    }

    /** Checks that nothing follows the last expected element. */
    void end(int size) throws MessageException {
        if (array.size() != size) {
            throw error(Kind.WRONG_ARITY, type + " has " + array.size() + " elements, expected " + size);
        }
    }

    JsonNode element(int index, String what) throws MessageException {
        if (index >= array.size()) {
            throw error(Kind.WRONG_ARITY, type + " is missing its " + what);
        }
        return array.get(index);
    }

    String string(int index, String what) throws MessageException {
        JsonNode node = element(index, what);
        if (!node.isTextual()) {
            throw error(Kind.WRONG_TYPE, type + " " + what + " is not a string");
        }
        return node.textValue();
    }

    boolean bool(int index, String what) throws MessageException {
        JsonNode node = element(index, what);
        if (!node.isBoolean()) {
            throw error(Kind.WRONG_TYPE, type + " " + what + " is not true or false");
        }
        return node.booleanValue();
    }

    JsonNode object(int index, String what) throws MessageException {
        JsonNode node = element(index, what);
        if (!node.isObject()) {
            throw error(Kind.WRONG_TYPE, type + " " + what + " is not a JSON object");
        }
        return node;
    }

    /** The subscription id at index 1: a non-empty string of well-formed UTF-16. */
    String subscriptionId() throws MessageException {
        String id = string(1, "subscription id");
        if (id.isEmpty()) {
            throw error(Kind.INVALID_SUBSCRIPTION_ID, type + " subscription id is empty");
        }
        if (hasUnpairedSurrogate(id)) {
            throw error(Kind.INVALID_SUBSCRIPTION_ID, type + " subscription id is not valid UTF-8");
        }
        subscriptionId = id;
        return id;
    }

    /** A NIP-77 message: non-empty, even-length hex. */
    String hex(int index, String what) throws MessageException {
        String hex = string(index, what);
        if (!isHex(hex)) {
            throw error(Kind.INVALID_HEX, type + " " + what + " is not non-empty, even-length hex");
        }
        return hex;
    }

    Event event(int index) throws MessageException {
        JsonNode node = object(index, "event");
        JsonNode id = node.get("id");
        if (id != null && id.isTextual() && Hex.isLowerHex(id.textValue(), 64)) {
            eventId = id.textValue();
        }
        try {
            return EventParser.parse(node);
        } catch (InvalidEventException e) {
            throw error(Kind.INVALID_EVENT, withoutPrefix(e.getMessage()));
        }
    }

    /** One filter; {@code label} names it in errors, e.g. "filter 2". */
    Filter filter(int index, String label) throws MessageException {
        JsonNode node = element(index, label);
        try {
            return FilterParser.parse(node);
        } catch (FilterParser.InvalidFilterException e) {
            throw error(Kind.INVALID_FILTER, type + " " + label + ": " + e.getMessage());
        }
    }

    /** Every element from {@code from} to the end as filters, numbered from 1; at least one. */
    List<Filter> filters(int from) throws MessageException {
        if (array.size() <= from) {
            throw error(Kind.WRONG_ARITY, type + " needs at least one filter");
        }
        List<Filter> filters = new ArrayList<>(array.size() - from);
        for (int i = from; i < array.size(); i++) {
            filters.add(filter(i, "filter " + (i - from + 1)));
        }
        return filters;
    }

    private static String withoutPrefix(String message) {
        return message.startsWith("invalid: ") ? message.substring("invalid: ".length()) : message;
    }

    private static boolean isHex(String s) {
        if (s.isEmpty() || s.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
