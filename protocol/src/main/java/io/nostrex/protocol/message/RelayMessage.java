package io.nostrex.protocol.message;

import io.nostrex.protocol.Event;
import java.util.Objects;

/**
 * A message from the relay to a client, one record per type of NIP-01, NIP-42, NIP-45 and NIP-77.
 * Written by {@link MessageCodec}; a stored event is forwarded with
 * {@link MessageCodec#encodeEvent(String, String)} instead, without re-serialising.
 */
public sealed interface RelayMessage {

    /** {@code ["EVENT", <subscription id>, <event>]}. */
    record EventMessage(String subscriptionId, Event event) implements RelayMessage {
        public EventMessage {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(event, "event");
        }
    }

    /** {@code ["OK", <event id>, <true|false>, <message>]}; the message is "" or "prefix: reason". */
    record Ok(String eventId, boolean accepted, String message) implements RelayMessage {
        public Ok {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code ["EOSE", <subscription id>]}: stored events done, live events follow. */
    record Eose(String subscriptionId) implements RelayMessage {
        public Eose {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
        }
    }

    /** {@code ["CLOSED", <subscription id>, <message>]}: the relay ended or refused a subscription. */
    record Closed(String subscriptionId, String message) implements RelayMessage {
        public Closed {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code ["NOTICE", <message>]}. */
    record Notice(String message) implements RelayMessage {
        public Notice {
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code ["AUTH", <challenge>]} (NIP-42). */
    record AuthChallenge(String challenge) implements RelayMessage {
        public AuthChallenge {
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /**
     * {@code ["COUNT", <subscription id>, {"count": n, "approximate": b, "hll": "<hex>"}]} (NIP-45);
     * {@code approximate} and {@code hll} are null when absent.
     */
    record CountResult(String subscriptionId, long count, Boolean approximate, String hll) implements RelayMessage {
        public CountResult {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            if (count < 0) {
                throw new IllegalArgumentException("count < 0: " + count);
            }
        }
    }

    /** {@code ["NEG-MSG", <subscription id>, <message hex>]} (NIP-77). */
    record NegMsg(String subscriptionId, String messageHex) implements RelayMessage {
        public NegMsg {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(messageHex, "messageHex");
        }
    }

    /** {@code ["NEG-ERR", <subscription id>, <reason>]} (NIP-77). */
    record NegErr(String subscriptionId, String reason) implements RelayMessage {
        public NegErr {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
