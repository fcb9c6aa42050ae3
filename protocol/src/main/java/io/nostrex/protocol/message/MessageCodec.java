package io.nostrex.protocol.message;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterJson;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads and writes the JSON arrays of NIP-01, NIP-42, NIP-45 and NIP-77 in both directions. Decoding
 * is strict and bounded: any malformed input is a {@link MessageException}, never an unchecked
 * exception. Encoding writes compact JSON with a StringBuilder (the delivery hot path), strings
 * with {@link EventJson#string} and events with {@link EventJson#append}.
 */
public final class MessageCodec {
    private MessageCodec() {}

    /** Reads a message a client sent to the relay. */
    public static ClientMessage decodeClient(String text) throws MessageException {
        return ClientDecoder.decode(text);
    }

    /** Reads a message a relay sent to a client (load tool, test clients). */
    public static RelayMessage decodeRelay(String text) throws MessageException {
        return RelayDecoder.decode(text);
    }

    /** {@code ["EVENT","<subscription id>",<eventJson>]}, forwarding already serialised event JSON verbatim. */
    public static String encodeEvent(String subscriptionId, String eventJson) {
        return eventPrefix(subscriptionId, eventJson.length() + 1).append(eventJson).append(']').toString();
    }

    /** {@code ["EVENT","<subscription id>",} with room for {@code more} characters after it. */
    private static StringBuilder eventPrefix(String subscriptionId, int more) {
        StringBuilder sb = start("EVENT", 16 + subscriptionId.length() + more);
        EventJson.string(sb.append(','), subscriptionId);
        return sb.append(',');
    }

    /**
     * The UTF-8 bytes of {@code ["EVENT","<subscription id>",}: an EVENT frame is these, the
     * event's JSON and {@code ]}.
     */
    public static byte[] eventPrefix(String subscriptionId) {
        return eventPrefix(subscriptionId, 0).toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String encode(RelayMessage m) {
        if (m instanceof RelayMessage.EventMessage e) {
            return event(e.subscriptionId(), e.event());
        } else if (m instanceof RelayMessage.Ok ok) {
            return ok(ok);
        } else if (m instanceof RelayMessage.Eose e) {
            return strings("EOSE", e.subscriptionId());
        } else if (m instanceof RelayMessage.Closed c) {
            return strings("CLOSED", c.subscriptionId(), c.message());
        } else if (m instanceof RelayMessage.Notice n) {
            return strings("NOTICE", n.message());
        } else if (m instanceof RelayMessage.AuthChallenge a) {
            return strings("AUTH", a.challenge());
        } else if (m instanceof RelayMessage.CountResult c) {
            return countResult(c);
        } else if (m instanceof RelayMessage.NegMsg n) {
            return strings("NEG-MSG", n.subscriptionId(), n.messageHex());
        } else if (m instanceof RelayMessage.NegErr n) {
            return strings("NEG-ERR", n.subscriptionId(), n.reason());
        }
        throw new IllegalArgumentException("unknown relay message " + m);
    }

    public static String encode(ClientMessage m) {
        if (m instanceof ClientMessage.EventMessage e) {
            return withEvent("EVENT", e.event());
        } else if (m instanceof ClientMessage.Req r) {
            return withFilters("REQ", r.subscriptionId(), r.filters());
        } else if (m instanceof ClientMessage.Close c) {
            return strings("CLOSE", c.subscriptionId());
        } else if (m instanceof ClientMessage.Count c) {
            return withFilters("COUNT", c.subscriptionId(), c.filters());
        } else if (m instanceof ClientMessage.Auth a) {
            return withEvent("AUTH", a.event());
        } else if (m instanceof ClientMessage.NegOpen n) {
            return negOpen(n);
        } else if (m instanceof ClientMessage.NegMsg n) {
            return strings("NEG-MSG", n.subscriptionId(), n.messageHex());
        } else if (m instanceof ClientMessage.NegClose n) {
            return strings("NEG-CLOSE", n.subscriptionId());
        }
        throw new IllegalArgumentException("unknown client message " + m);
    }

    private static String event(String subscriptionId, Event event) {
        StringBuilder sb = eventPrefix(subscriptionId, 240 + event.content().length());
        EventJson.append(sb, event);
        return sb.append(']').toString();
    }

    private static String ok(RelayMessage.Ok ok) {
        StringBuilder sb = start("OK", 96 + ok.message().length());
        EventJson.string(sb.append(','), ok.eventId());
        sb.append(',').append(ok.accepted()).append(',');
        EventJson.string(sb, ok.message());
        return sb.append(']').toString();
    }

    private static String countResult(RelayMessage.CountResult c) {
        StringBuilder sb = start("COUNT", 64 + c.subscriptionId().length());
        EventJson.string(sb.append(','), c.subscriptionId());
        sb.append(",{\"count\":").append(c.count());
        if (c.approximate() != null) {
            sb.append(",\"approximate\":").append(c.approximate().booleanValue());
        }
        if (c.hll() != null) {
            EventJson.string(sb.append(",\"hll\":"), c.hll());
        }
        return sb.append("}]").toString();
    }

    private static String withEvent(String type, Event event) {
        StringBuilder sb = start(type, 256 + event.content().length());
        EventJson.append(sb.append(','), event);
        return sb.append(']').toString();
    }

    private static String withFilters(String type, String subscriptionId, List<Filter> filters) {
        StringBuilder sb = start(type, 32 + subscriptionId.length() + 64 * filters.size());
        EventJson.string(sb.append(','), subscriptionId);
        for (Filter f : filters) {
            FilterJson.append(sb.append(','), f);
        }
        return sb.append(']').toString();
    }

    private static String negOpen(ClientMessage.NegOpen n) {
        StringBuilder sb = start("NEG-OPEN", 96 + n.subscriptionId().length() + n.initialMessageHex().length());
        EventJson.string(sb.append(','), n.subscriptionId());
        FilterJson.append(sb.append(','), n.filter());
        EventJson.string(sb.append(','), n.initialMessageHex());
        return sb.append(']').toString();
    }

    /** {@code ["TYPE","value",...]}, for the types made only of strings. */
    private static String strings(String type, String... values) {
        int length = 16;
        for (String v : values) {
            length += v.length() + 3;
        }
        StringBuilder sb = start(type, length);
        for (String v : values) {
            EventJson.string(sb.append(','), v);
        }
        return sb.append(']').toString();
    }

    private static StringBuilder start(String type, int capacity) {
        return new StringBuilder(capacity).append("[\"").append(type).append('"');
    }
}
