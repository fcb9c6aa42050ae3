package io.nostrex.validator;

import io.nostrex.protocol.Event;

/**
 * The validator's decision on one ingress record: where the event goes next and what the client is
 * told. {@code event} is null when the record could not be parsed. {@code reason} names the check
 * that refused it (a policy's name, {@code malformed}, {@code id} or {@code signature}), for the
 * validations counter; empty when accepted.
 */
public record Judgement(Outcome outcome, Event event, String eventId, String message, String reason) {
    /** A judgement that refused nothing. */
    Judgement(Outcome outcome, Event event, String eventId, String message) {
        this(outcome, event, eventId, message, "");
    }

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
