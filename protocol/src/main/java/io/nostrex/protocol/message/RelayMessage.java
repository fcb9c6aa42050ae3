package io.nostrex.protocol.message;

import io.nostrex.protocol.Event;
import java.util.Objects;

/**
 * A message from the relay to a client, one record per type of NIP-01, NIP-42, NIP-45 and NIP-77.
 * Written by {@link MessageCodec}; a stored event is forwarded with
 * {@link MessageCodec#encodeEvent(String, String)} instead, without re-serialising.
 */
public sealed interface RelayMessage {
    /** The message's first element: {@code "EVENT"}, {@code "OK"}, ... */
    String verb();

    /** {@code ["EVENT", <subscription id>, <event>]}. */
    record EventMessage(String subscriptionId, Event event) implements RelayMessage {
        @Override
        public String verb() {
            return "EVENT";
        }

        public EventMessage {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(event, "event");
        }
    }

    /** {@code ["OK", <event id>, <true|false>, <message>]}; the message is "" or "prefix: reason". */
    record Ok(String eventId, boolean accepted, String message) implements RelayMessage {
        @Override
        public String verb() {
            return "OK";
        }

        public Ok {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code ["EOSE", <subscription id>]}: stored events done, live events follow. */
    record Eose(String subscriptionId) implements RelayMessage {
        @Override
        public String verb() {
            return "EOSE";
        }

        public Eose {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
        }
    }

    /** {@code ["CLOSED", <subscription id>, <message>]}: the relay ended or refused a subscription. */
    record Closed(String subscriptionId, String message) implements RelayMessage {
        @Override
        public String verb() {
            return "CLOSED";
        }

        public Closed {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code ["NOTICE", <message>]}. */
    record Notice(String message) implements RelayMessage {
        @Override
        public String verb() {
            return "NOTICE";
        }

        public Notice {
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code ["AUTH", <challenge>]} (NIP-42). */
    record AuthChallenge(String challenge) implements RelayMessage {
        @Override
        public String verb() {
            return "AUTH";
        }

        public AuthChallenge {
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /**
     * {@code ["COUNT", <subscription id>, {"count": n, "approximate": b, "hll": "<hex>"}]} (NIP-45);
     * {@code approximate} and {@code hll} are null when absent.
     */
    record CountResult(String subscriptionId, long count, Boolean approximate, String hll) implements RelayMessage {
        @Override
        public String verb() {
            return "COUNT";
        }

        public CountResult {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            if (count < 0) {
                throw new IllegalArgumentException("count < 0: " + count);
            }
        }
    }

    /** {@code ["NEG-MSG", <subscription id>, <message hex>]} (NIP-77). */
    record NegMsg(String subscriptionId, String messageHex) implements RelayMessage {
        @Override
        public String verb() {
            return "NEG-MSG";
        }

        public NegMsg {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(messageHex, "messageHex");
        }
    }

    /** {@code ["NEG-ERR", <subscription id>, <reason>]} (NIP-77). */
    record NegErr(String subscriptionId, String reason) implements RelayMessage {
        @Override
        public String verb() {
            return "NEG-ERR";
        }

        public NegErr {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
