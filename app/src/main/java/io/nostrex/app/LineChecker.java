package io.nostrex.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Json;

/**
 * Checks one line of a JSONL file: an event object, {@code ["EVENT",{...}]} or
 * {@code ["EVENT","subid",{...}]}. Shape, id and signature are all checked.
 */
final class LineChecker {
    /** The outcome for one line: null reason when valid; eventId when one could be read. */
    record Result(boolean valid, String eventId, String reason) {}

    private final EventVerifier verifier;

    LineChecker(EventVerifier verifier) {
        this.verifier = verifier;
    }

    Result check(String line) {
        JsonNode event = null;
        try {
            event = eventNode(Json.read(line));
            verifier.verify(EventParser.parse(event));
            return new Result(true, idOf(event), null);
        } catch (Json.MalformedJsonException e) {
            return new Result(false, null, "invalid: malformed JSON: " + e.getMessage());
        } catch (InvalidEventException e) {
            return new Result(false, idOf(event), e.getMessage());
        }
    }

    /** The event of a line, its shape checked (not its id or signature); what is wrong otherwise. */
    static Event event(String line) throws InvalidEventException {
        try {
            return EventParser.parse(eventNode(Json.read(line)));
        } catch (Json.MalformedJsonException e) {
            throw InvalidEventException.invalid("malformed JSON: " + e.getMessage());
        }
    }

    private static JsonNode eventNode(JsonNode node) throws InvalidEventException {
        if (!node.isArray()) {
            return node;
        }
        if (node.size() == 0 || !"EVENT".equals(node.get(0).textValue())) {
            throw InvalidEventException.invalid("line is an array but not an EVENT message");
        }
        if (node.size() == 2) {
            return node.get(1);
        }
        if (node.size() == 3 && node.get(1).isTextual()) {
            return node.get(2);
        }
        throw InvalidEventException.invalid("EVENT message must be [\"EVENT\",event] or [\"EVENT\",subid,event]");
    }

    private static String idOf(JsonNode event) {
        if (event == null || !event.isObject()) {
            return null;
        }
        JsonNode id = event.get("id");
        return id != null && id.isTextual() ? id.textValue() : null;
    }
}
