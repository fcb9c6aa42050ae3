package io.nostrex.protocol.message;

/**
 * A message that could not be decoded. The text is ready to send back: it carries the NIP-01
 * {@code invalid:} prefix and names the message type, position and rule, e.g.
 * {@code "invalid: REQ filter 2: kinds must be integers in 0..65535"}.
 *
 * <p>What was readable before the defect is kept so the gateway can pick the reply: an event id
 * means {@code OK false}, a subscription id on REQ/COUNT means {@code CLOSED}, on NEG-OPEN/NEG-MSG
 * {@code NEG-ERR}; otherwise {@code NOTICE}.
 */
public final class MessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was wrong, from the outside (bytes) in (fields). */
    public enum Kind {
        /** Not one well-formed, bounded JSON value (includes empty input and hostile nesting/numbers). */
        MALFORMED_JSON,
        /** Valid JSON, but not an array. */
        NOT_AN_ARRAY,
        /** The first element is not a message type this direction knows. */
        UNKNOWN_TYPE,
        /** Too many or too few elements for the type (including an empty array, a REQ without filters). */
        WRONG_ARITY,
        /** An element has the wrong JSON type, e.g. a number where a string belongs. */
        WRONG_TYPE,
        /** A subscription id that is empty or not valid UTF-16 text. */
        INVALID_SUBSCRIPTION_ID,
        /** An EVENT or AUTH event object that breaks an event rule. */
        INVALID_EVENT,
        /** A REQ, COUNT or NEG-OPEN filter that breaks a filter rule. */
        INVALID_FILTER,
        /** A negentropy (NIP-77) message that is not non-empty, even-length hex. */
        INVALID_HEX
    }

    private final Kind kind;
    private final String type;
    private final String subscriptionId;
    private final String eventId;

    MessageException(Kind kind, String type, String subscriptionId, String eventId, String reason) {
        super("invalid: " + reason);
        this.kind = kind;
        this.type = type;
        this.subscriptionId = subscriptionId;
        this.eventId = eventId;
    }

    public Kind kind() {
        return kind;
    }

    /** The message type (e.g. {@code "REQ"}) when the first element was a known type, else null. */
    public String type() {
        return type;
    }

    /** The subscription id when one was read before the defect, else null. */
    public String subscriptionId() {
        return subscriptionId;
    }

    /** For EVENT/AUTH: the event's id when it was 64 lowercase hex, else null. */
    public String eventId() {
        return eventId;
    }
}
