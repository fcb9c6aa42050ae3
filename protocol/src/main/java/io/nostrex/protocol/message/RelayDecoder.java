package io.nostrex.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.message.MessageException.Kind;
import io.nostrex.protocol.message.RelayMessage.AuthChallenge;
import io.nostrex.protocol.message.RelayMessage.Closed;
import io.nostrex.protocol.message.RelayMessage.CountResult;
import io.nostrex.protocol.message.RelayMessage.Eose;
import io.nostrex.protocol.message.RelayMessage.EventMessage;
import io.nostrex.protocol.message.RelayMessage.NegErr;
import io.nostrex.protocol.message.RelayMessage.NegMsg;
import io.nostrex.protocol.message.RelayMessage.Notice;
import io.nostrex.protocol.message.RelayMessage.Ok;

/** Reads relay-to-client messages (for the load tool and test clients); as strict as the client side. */
final class RelayDecoder {
    private RelayDecoder() {}

    static RelayMessage decode(String text) throws MessageException {
        MessageArray m = MessageArray.parse(text);
        RelayMessage message = switch (m.type()) {
            case "EVENT" -> new EventMessage(m.subscriptionId(), m.event(2));
            case "OK" -> new Ok(m.string(1, "event id"), m.bool(2, "accepted flag"), m.string(3, "message"));
            case "EOSE" -> new Eose(m.subscriptionId());
            case "CLOSED" -> new Closed(m.subscriptionId(), m.string(2, "message"));
            case "NOTICE" -> new Notice(m.string(1, "message"));
            case "AUTH" -> new AuthChallenge(m.string(1, "challenge"));
            case "COUNT" -> count(m);
            case "NEG-MSG" -> new NegMsg(m.subscriptionId(), m.hex(2, "message"));
            case "NEG-ERR" -> new NegErr(m.subscriptionId(), m.string(2, "reason"));
            default -> throw m.unknownType();
        };
        m.end(size(m.type()));
        return message;
    }

    /** Number of elements of each type, checked after its elements were read (so errors carry the ids). */
    private static int size(String type) {
        return switch (type) {
            case "EOSE", "NOTICE", "AUTH" -> 2;
            case "OK" -> 4;
            default -> 3;
        };
    }

    private static CountResult count(MessageArray m) throws MessageException {
        String subscriptionId = m.subscriptionId();
        JsonNode result = m.object(2, "result");
        JsonNode count = result.get("count");
        if (count == null || !count.isIntegralNumber() || !count.canConvertToLong() || count.longValue() < 0) {
            throw m.error(Kind.WRONG_TYPE, "COUNT result count is not a non-negative integer");
        }
        JsonNode approximate = result.get("approximate");
        if (approximate != null && !approximate.isBoolean()) {
            throw m.error(Kind.WRONG_TYPE, "COUNT result approximate is not true or false");
        }
        JsonNode hll = result.get("hll");
        if (hll != null && !hll.isTextual()) {
            throw m.error(Kind.WRONG_TYPE, "COUNT result hll is not a string");
        }
        return new CountResult(subscriptionId, count.longValue(),
                approximate == null ? null : approximate.booleanValue(), hll == null ? null : hll.textValue());
    }
}
