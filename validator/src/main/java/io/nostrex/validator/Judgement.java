package io.nostrex.validator;

import io.nostrex.protocol.Event;

/**
 * The validator's decision on one ingress record: where the event goes next and what the client is
 * told. {@code event} is null when the record could not be parsed.
 */
public record Judgement(Outcome outcome, Event event, String eventId, String message) {
    public enum Outcome {
        /** Stored kind: goes to the events log; the archiver answers once it is durable. */
        ACCEPT_STORED,
        /** Ephemeral kind: goes straight to live matching; answered OK true now. */
        ACCEPT_EPHEMERAL,
        /** Already known: OK true with a duplicate: message. */
        DUPLICATE,
        /** Refused: OK false with the message. */
        REJECT
    }
}
