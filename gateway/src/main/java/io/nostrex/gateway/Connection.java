package io.nostrex.gateway;

import io.nostrex.protocol.Hex;
import io.nostrex.protocol.auth.ReadAccess;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.RelayMessage;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

/**
 * One client WebSocket: its subscriptions and its outbound queue. The bytes queued but not yet
 * written are bounded; a reader that falls behind by more is disconnected rather than allowed to
 * grow memory. All state changes are made under this object's lock. Every frame sent is counted
 * by its verb.
 */
final class Connection implements PendingOks.Client {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** Why a connection closed, as the {@code reason} label of the closed-connections counter. */
    enum CloseReason {
        CLIENT("client"), SLOW_READER("slow_reader"), OVERSIZED_FRAME("oversized_frame"),
        TOO_MANY_HELD("too_many_held"), READ_ERROR("read_error"), SHUTDOWN("shutdown"), BLOCKED("blocked"),
        IDLE("idle");

        final String label;

        CloseReason(String label) {
            this.label = label;
        }
    }

    final long id;
    final String address;
    /** The NIP-42 challenge sent on connect. */
    final String challenge;
    /** The relay URLs this connection may authenticate for (normalized). */
    final Set<String> relayUrls;
    /** The gateway's own connection, opened by its {@link Warmup}: its events are marked, and only it gets them. */
    final boolean warmup;
    private volatile ReadAccess access;
    private volatile long lastHeardNanos = System.nanoTime();
    private final WebSocketChannel channel;
    private final long maxOutboundBytes;
    private final GatewayMetrics metrics;
    private final AtomicLong queuedBytes = new AtomicLong();
    /** This connection's turn on the query threads. */
    final FairQueries.Lane queryLane;
    /** EVENTs of this connection waiting for their OK. */
    final java.util.concurrent.atomic.AtomicInteger pendingOks = new java.util.concurrent.atomic.AtomicInteger();
    /** UTF-8 bytes of the live events its subscriptions hold until their EOSE; guarded by this. */
    private volatile long heldBytes;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<String, Subscription> subscriptionsView = java.util.Collections.unmodifiableMap(subscriptions);
    private volatile boolean closed;
    private volatile CloseReason closeReason;
    /** Its address's allowance of invalid messages, shared by the address's connections; null: no limit. */
    private final ClientAddresses.InvalidAllowance invalidAllowance;
    private final int invalidPerSecond;
    private final AtomicBoolean readsPaused = new AtomicBoolean();

    Connection(long id, WebSocketChannel channel, String address, long maxOutboundBytes, GatewayMetrics metrics,
               Set<String> relayUrls, ReadAccess access, ClientAddresses.InvalidAllowance invalidAllowance,
               int invalidPerSecond, boolean warmup) {
        this.id = id;
        this.warmup = warmup;
        this.invalidAllowance = invalidAllowance;
        this.invalidPerSecond = invalidPerSecond;
        this.address = address;
        this.queryLane = new FairQueries.Lane(address);
        this.challenge = newChallenge();
        this.relayUrls = Set.copyOf(relayUrls);
        this.access = access;
        this.channel = channel;
        this.maxOutboundBytes = maxOutboundBytes;
        this.metrics = metrics;
    }

    private static String newChallenge() {
        byte[] random = new byte[16];
        CHALLENGES.nextBytes(random);
        return Hex.encode(random);
    }

    private static final SecureRandom CHALLENGES = new java.security.SecureRandom();

    /** The client sent something (a message, a ping or a pong). */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** How long a connection over its allowance of invalid messages goes unread, the first time. */
    static final long INVALID_PAUSE_MILLIS = 1_000;
    /** Each pause in a row doubles the next, up to this many times (16 s). */
    static final int MAX_PAUSE_DOUBLINGS = 4;
    /** Pauses of this connection since it last spent an invalid message from its allowance. */
    private final AtomicInteger pausesInARow = new AtomicInteger();

    /**
     * One of its messages was refused as invalid (unreadable, malformed, or an event whose id or
     * signature is wrong). Past its address's allowance ({@code NOSTREX_MAX_INVALID_PER_SECOND}, twice
     * that in a burst, shared by the address's connections on this gateway) or the gateway's (ten
     * addresses' worth, for floods spread over many addresses), the gateway stops reading this
     * connection for {@value #INVALID_PAUSE_MILLIS} ms and says so in a NOTICE. A connection that is
     * over the allowance again as soon as it is read again is paused twice as long each time, up to
     * 16 s, and every pause is drawn within ±25 % of its length, so that many connections paused
     * together are not read again together. What it sent waits in its socket: a client that floods
     * the relay with garbage, over one connection or many, gets its answers at most at the allowed
     * pace and costs the other clients only that much; nothing it sent is lost; a connection that
     * sends only valid messages is never paused, whatever its address's other connections do; and a
     * client with an occasional bad message never notices. Any thread.
     */
    @Override
    public void invalid() {
        if (invalidAllowance == null || isClosed()) {
            return;
        }
        if (invalidAllowance.tryConsume()) {
            pausesInARow.set(0);
            return;
        }
        if (!readsPaused.compareAndSet(false, true)) {
            return;
        }
        long pause = pauseMillis(pausesInARow.getAndIncrement(), ThreadLocalRandom.current().nextDouble());
        metrics.readsPaused.increment();
        send(new RelayMessage.Notice("rate-limited: too many invalid messages (more than " + invalidPerSecond
                + " a second from your address, or from everyone together more than this gateway takes);"
                + " this connection is read again in " + pause + " ms"));
        XnioIoThread io = channel.getIoThread();
        if (Thread.currentThread() == io) {
            pauseReads(io, pause); // at once: the frames read and not yet handled wait too
        } else {
            io.execute(() -> pauseReads(io, pause));
        }
    }

    /**
     * How long to stop reading a connection paused {@code before} times in a row already:
     * {@value #INVALID_PAUSE_MILLIS} ms doubled for each, at most {@value #MAX_PAUSE_DOUBLINGS} times,
     * then scaled by 0.75 + 0.5 × {@code random} (a number in [0, 1)).
     */
    static long pauseMillis(int before, double random) {
        long base = INVALID_PAUSE_MILLIS << Math.min(Math.max(0, before), MAX_PAUSE_DOUBLINGS);
        return Math.round(base * (0.75 + 0.5 * random));
    }

    private void pauseReads(XnioIoThread io, long millis) {
        if (isClosed()) {
            readsPaused.set(false);
            return;
        }
        channel.suspendReceives();
        io.executeAfter(() -> {
            readsPaused.set(false);
            if (!isClosed()) {
                channel.resumeReceives();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /** Sends a WebSocket ping; the client's pong shows it is still there and reading. */
    void ping() {
        if (!isClosed()) {
            WebSockets.sendPing(ByteBuffer.allocate(0), channel, null);
        }
    }

    /** What this connection may read: the private events of the pubkeys it has authenticated as. */
    ReadAccess access() {
        return access;
    }

    /** The pubkeys this connection has authenticated as (NIP-42). */
    Set<String> authenticated() {
        return access.pubkeys();
    }

    /** Adds a pubkey the connection has proved it holds (NIP-42 AUTH). */
    synchronized void authenticate(String pubkey) {
        access = access.with(pubkey);
    }

    /** The open subscriptions by id; change them only through the methods below. Under this object's lock. */
    Map<String, Subscription> subscriptions() {
        return subscriptionsView;
    }

    /** Adds or replaces a subscription; returns the one replaced, whose held events are dropped. */
    Subscription putSubscription(Subscription sub) {
        Subscription replaced = subscriptions.put(sub.id, sub);
        if (replaced != null) {
            held(-replaced.heldBytes());
        }
        return replaced;
    }

    /** Removes a subscription (its held events are dropped); returns it, or null. */
    Subscription removeSubscription(String subId) {
        Subscription removed = subscriptions.remove(subId);
        if (removed != null) {
            held(-removed.heldBytes());
        }
        return removed;
    }

    /** Removes every subscription. */
    void clearSubscriptions() {
        subscriptions.clear();
        heldBytes = 0;
    }

    /** Empties a subscription's hold at its EOSE: the events not already sent as history. */
    java.util.List<String> releaseHeld(Subscription sub) {
        held(-sub.heldBytes());
        return sub.releaseHeld();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public java.util.concurrent.atomic.AtomicInteger pendingOks() {
        return pendingOks;
    }


    boolean isClosed() {
        return closed || !channel.isOpen();
    }

    /** Why this connection closed: the first reason the relay gave, else the client's doing. */
    CloseReason closeReason() {
        CloseReason r = closeReason;
        return r == null ? CloseReason.CLIENT : r;
    }

    /** Records why the connection is closing, unless a reason is already known. */
    void closing(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    /** Encodes and queues a relay message; OK and CLOSED are also counted by their prefix. */
    @Override
    public void send(RelayMessage message) {
        metrics.relayMessage(message.verb());
        if (message instanceof RelayMessage.Ok ok) {
            metrics.ok(ok.accepted(), ok.message());
        } else if (message instanceof RelayMessage.Closed c) {
            metrics.closed(c.message());
        }
        sendText(MessageCodec.encode(message));
    }

    /** Queues an EVENT frame already encoded (a stored event forwarded verbatim). */
    void sendEvent(String frame) {
        metrics.relayMessage("EVENT");
        sendText(frame);
    }

    /**
     * Queues the EVENT frame {@code prefix}, {@code eventUtf8}, {@code ]}; returns its size, or 0 when
     * it was not queued. On the connection's I/O thread it is written straight into one of the
     * server's pooled direct buffers when it fits (no frame array, and no copy into a temporary
     * direct buffer at the socket write). On another thread (a query thread sending history) it
     * goes in an array of its own: a pooled buffer taken there and given back on the I/O thread
     * defeats the pool's per-thread caches, and measured slower (docs/benchmarks-history.md).
     */
    int sendEvent(byte[] prefix, byte[] eventUtf8) {
        int size = prefix.length + eventUtf8.length + 1;
        if (!reserve(size)) {
            return 0;
        }
        metrics.relayMessage("EVENT");
        if (Thread.currentThread() != channel.getIoThread()) {
            ByteBuffer frame = ByteBuffer.allocate(size);
            frame.put(prefix).put(eventUtf8).put((byte) ']').flip();
            WebSockets.sendText(frame, channel, release(size));
            return size;
        }
        PooledByteBuffer pooled = channel.getBufferPool().allocate();
        ByteBuffer buffer = pooled.getBuffer();
        if (buffer.capacity() >= size) {
            buffer.clear();
            buffer.put(prefix).put(eventUtf8).put((byte) ']').flip();
            WebSockets.sendText(pooled, channel, release(size));
        } else {
            pooled.close();
            ByteBuffer frame = ByteBuffer.allocate(size);
            frame.put(prefix).put(eventUtf8).put((byte) ']').flip();
            WebSockets.sendText(frame, channel, release(size));
        }
        return size;
    }

    /** The I/O thread that writes this connection's frames: a send made on it is written at once. */
    Executor ioThread() {
        return channel.getIoThread();
    }

    /**
     * Holds this connection's frames back until {@link #releaseWrites}, so that several leave in one
     * write. Only on the connection's I/O thread, which releases before it does anything else; a
     * frame another thread queues meanwhile leaves with them. False when the connection is closed.
     */
    boolean holdWrites() {
        if (isClosed()) {
            return false;
        }
        channel.setRequireExplicitFlush(true);
        return true;
    }

    /** Writes what {@link #holdWrites} held back. */
    void releaseWrites() {
        channel.setRequireExplicitFlush(false);
        channel.flush();
    }

    /** Queues a text frame; disconnects the client when its unsent backlog passes the bound. */
    private void sendText(String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (reserve(utf8.length)) {
            WebSockets.sendText(ByteBuffer.wrap(utf8), channel, release(utf8.length));
        }
    }

    /**
     * Counts {@code size} more bytes queued; past the bound (with the events held for EOSE, which
     * will be queued too) the client is disconnected as a slow reader.
     */
    private boolean reserve(long size) {
        if (isClosed()) {
            return false;
        }
        long queued = queuedBytes.addAndGet(size);
        if (queued + heldBytes > maxOutboundBytes) {
            LOG.info("connection {} from {} is not reading ({} bytes queued, {} held for EOSE): disconnecting", id,
                    address, queued, heldBytes);
            close(CloseReason.SLOW_READER);
            return false;
        }
        return true;
    }

    /**
     * Counts the bytes of live events held for EOSE (negative: released or dropped); under this
     * connection's lock. False when queued and held bytes now pass the outbound bound.
     */
    boolean held(long bytes) {
        heldBytes += bytes;
        return bytes <= 0 || queuedBytes.get() + heldBytes <= maxOutboundBytes;
    }

    /** Bytes queued to the client and not yet written, and held for EOSE. */
    long outboundBytes() {
        return queuedBytes.get() + heldBytes;
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

    void close(CloseReason reason) {
        closing(reason);
        closed = true;
        try {
            channel.sendClose();
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
