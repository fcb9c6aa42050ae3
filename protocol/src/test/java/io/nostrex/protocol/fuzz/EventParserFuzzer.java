package io.nostrex.protocol.fuzz;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The event parser, on bytes as every stage after the gateway gets them: the streaming parse of
 * the bytes, of their text, and the tree parse must each give the same event or the same typed
 * error (malformed JSON may be worded differently); every event must pass {@link EventRules}.
 */
public final class EventParserFuzzer {
    private EventParserFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Object bytes = outcome(() -> EventParser.parse(data));
        Object streamed = outcome(() -> EventParser.parse(text));
        Object tree = treeParse(text);
        agree(streamed, tree, text);
        if (isValidUtf8(data)) {
            agree(bytes, tree, text);
        } else { // replaced in the text, refused by the byte parse
            FuzzFinding.check(!(bytes instanceof Event), "an event parsed from bytes that are not UTF-8: " + text);
        }
        if (tree instanceof Event e) {
            EventRules.check(e);
        }
    }

    /** The tree parse's event, or its typed error's message. */
    public static Object treeParse(String text) {
        return outcome(() -> {
            try {
                return EventParser.parse(Json.read(text));
            } catch (Json.MalformedJsonException e) {
                throw InvalidEventException.invalid("malformed JSON: " + e.getMessage());
            }
        });
    }

    private static void agree(Object parsed, Object tree, String text) {
        boolean bothMalformed = parsed instanceof String a && tree instanceof String b
                && a.contains("malformed JSON") && b.contains("malformed JSON");
        FuzzFinding.check(bothMalformed || Objects.equals(parsed, tree),
                "streaming parse gave " + parsed + ", tree parse " + tree + " for " + text);
    }

    static boolean isValidUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(data));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private interface Parse {
        Event run() throws InvalidEventException;
    }

    /** The event, or the typed error's message; anything else thrown escapes as a finding. */
    private static Object outcome(Parse parse) {
        try {
            return parse.run();
        } catch (InvalidEventException e) {
            FuzzFinding.check(e.getMessage() != null && !e.getMessage().isBlank(), "blank InvalidEventException");
            return e.getMessage();
        }
    }
}
