package io.nostrex.protocol.fuzz;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The event parser, on text as every stage after the gateway gets it: the streaming parse and the
 * tree parse must give the same event or the same typed error (malformed JSON may be worded
 * differently), the parse of the bytes the same as of their text (and never an event from bytes
 * that are not UTF-8); every event must pass {@link EventRules}.
 */
public final class EventParserFuzzer {
    private EventParserFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8); // as the stages get it from Kafka
        Object streamed = outcome(() -> EventParser.parse(text));
        Object tree = treeParse(text);
        agree(streamed, tree, text);
        Object bytes = outcome(() -> EventParser.parse(data));
        if (Arrays.equals(text.getBytes(StandardCharsets.UTF_8), data)) { // the bytes were UTF-8
            FuzzFinding.check(Objects.equals(bytes, streamed), "the bytes gave " + bytes + ", their text " + streamed);
        } else {
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
