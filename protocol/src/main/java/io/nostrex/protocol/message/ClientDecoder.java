package io.nostrex.protocol.message;

import io.nostrex.protocol.message.ClientMessage.Auth;
import io.nostrex.protocol.message.ClientMessage.Close;
import io.nostrex.protocol.message.ClientMessage.Count;
import io.nostrex.protocol.message.ClientMessage.EventMessage;
import io.nostrex.protocol.message.ClientMessage.NegClose;
import io.nostrex.protocol.message.ClientMessage.NegMsg;
import io.nostrex.protocol.message.ClientMessage.NegOpen;
import io.nostrex.protocol.message.ClientMessage.Req;

/** Reads client-to-relay messages; each type's shape is one short method. */
final class ClientDecoder {
    private ClientDecoder() {}

    static ClientMessage decode(String text) throws MessageException {
        MessageArray m = MessageArray.parse(text);
        return switch (m.type()) {
            case "EVENT" -> event(m);
            case "REQ" -> req(m);
            case "CLOSE" -> close(m);
            case "COUNT" -> count(m);
            case "AUTH" -> auth(m);
            case "NEG-OPEN" -> negOpen(m);
            case "NEG-MSG" -> negMsg(m);
            case "NEG-CLOSE" -> negClose(m);
            default -> throw m.unknownType();
        };
    }

    private static EventMessage event(MessageArray m) throws MessageException {
        EventMessage message = new EventMessage(m.event(1));
        m.end(2);
        return message;
    }

    private static Req req(MessageArray m) throws MessageException {
        String subscriptionId = m.subscriptionId();
        return new Req(subscriptionId, m.filters(2));
    }

    private static Close close(MessageArray m) throws MessageException {
        Close message = new Close(m.subscriptionId());
        m.end(2);
        return message;
    }

    private static Count count(MessageArray m) throws MessageException {
        String subscriptionId = m.subscriptionId();
        return new Count(subscriptionId, m.filters(2));
    }

    private static Auth auth(MessageArray m) throws MessageException {
        Auth message = new Auth(m.event(1));
        m.end(2);
        return message;
    }

    private static NegOpen negOpen(MessageArray m) throws MessageException {
        String subscriptionId = m.subscriptionId();
        NegOpen message = new NegOpen(subscriptionId, m.filter(2, "filter"), m.hex(3, "initial message"));
        m.end(4);
        return message;
    }

    private static NegMsg negMsg(MessageArray m) throws MessageException {
        String subscriptionId = m.subscriptionId();
        NegMsg message = new NegMsg(subscriptionId, m.hex(2, "message"));
        m.end(3);
        return message;
    }

    private static NegClose negClose(MessageArray m) throws MessageException {
        NegClose message = new NegClose(m.subscriptionId());
        m.end(2);
        return message;
    }
}
