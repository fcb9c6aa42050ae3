package io.nostrex.protocol.message;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.util.List;
import java.util.Objects;

/**
 * A message from a client to the relay, one record per type of NIP-01, NIP-42, NIP-45 and NIP-77.
 * Read and written by {@link MessageCodec}.
 */
public sealed interface ClientMessage {
    /** The message's first element: {@code "EVENT"}, {@code "OK"}, ... */
    String verb();

    /** {@code ["EVENT", <event>]}: publish an event. */
    record EventMessage(Event event) implements ClientMessage {
        @Override
        public String verb() {
            return "EVENT";
        }

        public EventMessage {
            Objects.requireNonNull(event, "event");
        }
    }

    /** {@code ["REQ", <subscription id>, <filter>, ...]}: at least one filter. */
    record Req(String subscriptionId, List<Filter> filters) implements ClientMessage {
        @Override
        public String verb() {
            return "REQ";
        }

        public Req {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            filters = List.copyOf(filters);
        }
    }

    /** {@code ["CLOSE", <subscription id>]}. */
    record Close(String subscriptionId) implements ClientMessage {
        @Override
        public String verb() {
            return "CLOSE";
        }

        public Close {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
        }
    }

    /** {@code ["COUNT", <subscription id>, <filter>, ...]} (NIP-45): at least one filter. */
    record Count(String subscriptionId, List<Filter> filters) implements ClientMessage {
        @Override
        public String verb() {
            return "COUNT";
        }

        public Count {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            filters = List.copyOf(filters);
        }
    }

    /** {@code ["AUTH", <signed kind-22242 event>]} (NIP-42). */
    record Auth(Event event) implements ClientMessage {
        @Override
        public String verb() {
            return "AUTH";
        }

        public Auth {
            Objects.requireNonNull(event, "event");
        }
    }

    /** {@code ["NEG-OPEN", <subscription id>, <filter>, <initial message hex>]} (NIP-77). */
    record NegOpen(String subscriptionId, Filter filter, String initialMessageHex) implements ClientMessage {
        @Override
        public String verb() {
            return "NEG-OPEN";
        }

        public NegOpen {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(initialMessageHex, "initialMessageHex");
        }
    }

    /** {@code ["NEG-MSG", <subscription id>, <message hex>]} (NIP-77). */
    record NegMsg(String subscriptionId, String messageHex) implements ClientMessage {
        @Override
        public String verb() {
            return "NEG-MSG";
        }

        public NegMsg {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(messageHex, "messageHex");
        }
    }

    /** {@code ["NEG-CLOSE", <subscription id>]} (NIP-77). */
    record NegClose(String subscriptionId) implements ClientMessage {
        @Override
        public String verb() {
            return "NEG-CLOSE";
        }

        public NegClose {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
        }
    }
}
