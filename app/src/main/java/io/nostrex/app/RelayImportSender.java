package io.nostrex.app;

import io.nostrex.loadtool.RelaySocket;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Imports into any relay over one WebSocket: an EVENT per event, its OK as the answer. OKs carry
 * the event id, not the line: lines are matched to answers by id, in order for repeats.
 */
final class RelayImportSender implements ImportSender {
    private final ImportTally tally;
    private final Map<String, ArrayDeque<Long>> linesById = new HashMap<>();
    private volatile RelaySocket socket;

    private RelayImportSender(ImportTally tally) {
        this.tally = tally;
    }

    /** Connects; the handler exists before the socket, for a relay that speaks first (AUTH, NOTICE). */
    static RelayImportSender open(URI url, ImportTally tally) throws InterruptedException {
        RelayImportSender sender = new RelayImportSender(tally);
        try {
            sender.socket = RelaySocket.open(HttpClient.newHttpClient(), url, 0, (sock, text, at) -> sender.onMessage(text),
                    Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            sender.socket.closed().thenAccept(why -> tally.giveUp("the connection ended: " + why));
            return sender;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to " + url + ": " + RelaySocket.rootMessage(e), e);
        }
    }

    @Override
    public void send(long line, Event event) {
        if (socket.closed().isDone()) {
            throw new IllegalStateException("the connection ended: " + socket.closed().getNow(""));
        }
        synchronized (linesById) {
            linesById.computeIfAbsent(event.id(), k -> new ArrayDeque<>()).add(line);
        }
        socket.send("[\"EVENT\"," + EventJson.write(event) + "]");
    }

    private void onMessage(String text) {
        RelayMessage m;
        try {
            m = MessageCodec.decodeRelay(text);
        } catch (MessageException e) {
            return;
        }
        if (m instanceof RelayMessage.Ok ok) {
            Long line = lineOf(ok.eventId());
            if (line != null) {
                tally.answered(line, ok.accepted(), ok.message());
            }
        } else if (m instanceof RelayMessage.Notice notice) {
            System.err.println("relay notice: " + notice.message());
        }
    }

    private Long lineOf(String id) {
        synchronized (linesById) {
            ArrayDeque<Long> lines = linesById.get(id);
            if (lines == null) {
                return null;
            }
            Long line = lines.poll();
            if (lines.isEmpty()) {
                linesById.remove(id);
            }
            return line;
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
