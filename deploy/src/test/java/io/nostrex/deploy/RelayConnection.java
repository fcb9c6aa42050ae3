package io.nostrex.deploy;

import io.nostrex.app.it.WsClient;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One client connection to a gateway, as a Nostr client holds it: the app's test {@link WsClient}
 * underneath, messages written and read with the relay's own {@link MessageCodec}.
 */
final class RelayConnection implements AutoCloseable {
    /** How long a step may wait for the relay's answer. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final WsClient socket;

    RelayConnection(int port) {
        this.socket = new WsClient(port);
    }

    void send(ClientMessage message) {
        socket.send(MessageCodec.encode(message));
    }

    /** Publishes and returns the event's OK; fails when none comes within {@link #WAIT}. */
    RelayMessage.Ok publish(Event event) throws InterruptedException {
        return tryPublish(event, WAIT).orElseThrow(() -> new AssertionError("no OK for " + event.id() + " within " + WAIT));
    }

    /** Publishes and returns the event's OK, or empty when none came within the timeout (other messages are dropped). */
    Optional<RelayMessage.Ok> tryPublish(Event event, Duration timeout) throws InterruptedException {
        send(new ClientMessage.EventMessage(event));
        return socket.first(text -> decode(text) instanceof RelayMessage.Ok ok && ok.eventId().equals(event.id()), timeout)
                .map(text -> (RelayMessage.Ok) decode(text));
    }

    /** REQ, the stored events the relay sends before EOSE, then CLOSE. */
    List<Event> query(String subscriptionId, List<Filter> filters) throws InterruptedException {
        List<Event> stored = subscribe(subscriptionId, filters);
        send(new ClientMessage.Close(subscriptionId));
        return stored;
    }

    /** REQ and the stored events up to EOSE; live events follow in {@link #received}. */
    List<Event> subscribe(String subscriptionId, List<Filter> filters) throws InterruptedException {
        send(new ClientMessage.Req(subscriptionId, filters));
        List<Event> stored = new ArrayList<>();
        for (String text : socket.until(text -> endsStored(decode(text), subscriptionId), WAIT)) {
            RelayMessage m = decode(text);
            if (m instanceof RelayMessage.EventMessage e && e.subscriptionId().equals(subscriptionId)) {
                stored.add(e.event());
            } else if (m instanceof RelayMessage.Closed closed && closed.subscriptionId().equals(subscriptionId)) {
                throw new AssertionError("the relay closed " + subscriptionId + ": " + closed.message());
            }
        }
        return stored;
    }

    private static boolean endsStored(RelayMessage m, String subscriptionId) {
        return m instanceof RelayMessage.Eose eose && eose.subscriptionId().equals(subscriptionId)
                || m instanceof RelayMessage.Closed closed && closed.subscriptionId().equals(subscriptionId);
    }

    /** The events that arrive within the window, each with its subscription. */
    List<RelayMessage.EventMessage> received(Duration window) throws InterruptedException {
        List<RelayMessage.EventMessage> events = new ArrayList<>();
        for (String text : socket.drain(window)) {
            if (decode(text) instanceof RelayMessage.EventMessage m) {
                events.add(m);
            }
        }
        return events;
    }

    @Override
    public void close() {
        socket.close();
    }

    static RelayMessage decode(String text) {
        try {
            return MessageCodec.decodeRelay(text);
        } catch (MessageException e) {
            throw new AssertionError("the relay sent an unreadable message: " + text, e);
        }
    }
}
