package io.nostrex.gateway;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket: its subscriptions and its outbound queue. The bytes queued but not yet
 * written are bounded; a reader that falls behind by more is disconnected rather than allowed to
 * grow memory. All state changes are made under this object's lock.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    final long id;
    final String address;
    private final WebSocketChannel channel;
    private final long maxOutboundBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private volatile boolean closed;

    Connection(long id, WebSocketChannel channel, long maxOutboundBytes) {
        this.id = id;
        this.channel = channel;
        this.maxOutboundBytes = maxOutboundBytes;
        this.address = channel.getSourceAddress() == null ? "" : channel.getSourceAddress().getAddress().getHostAddress();
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    boolean isClosed() {
        return closed || !channel.isOpen();
    }

    /** Queues a text frame; disconnects the client when its unsent backlog passes the bound. */
    void send(String text) {
        if (reserve(text.length())) {
            WebSockets.sendText(text, channel, release(text.length()));
        }
    }

    /**
     * Queues a text frame already encoded as UTF-8 (shared by every recipient of one event: the
     * buffer is not consumed, a duplicate is sent).
     */
    void send(ByteBuffer utf8) {
        int size = utf8.remaining();
        if (reserve(size)) {
            WebSockets.sendText(utf8.duplicate(), channel, release(size));
        }
    }

    private boolean reserve(long size) {
        if (isClosed()) {
            return false;
        }
        if (queuedBytes.addAndGet(size) > maxOutboundBytes) {
            LOG.info("connection {} from {} is not reading ({} bytes queued): disconnecting", id, address,
                    queuedBytes.get());
            close();
            return false;
        }
        return true;
    }

    private WebSocketCallback<Void> release(long size) {
        return new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                queuedBytes.addAndGet(-size);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                queuedBytes.addAndGet(-size);
            }
        };
    }

    void close() {
        closed = true;
        try {
            channel.sendClose();
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
