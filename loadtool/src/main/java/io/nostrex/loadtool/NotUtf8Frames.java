package io.nostrex.loadtool;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;

/**
 * Text messages that are not UTF-8, which the JDK's WebSocket client cannot send (it encodes every
 * string it is given). Each goes on a connection of its own, written byte by byte on a thread of
 * this sender's: the upgrade request, one masked text frame holding {@code ["REQ","\xC3("]}, then
 * the relay's frames are read until its close, whose status is counted (1007, "invalid frame
 * payload data", is the answer RFC 6455 gives).
 */
final class NotUtf8Frames implements AutoCloseable {
    private static final byte[] TEXT = {'[', '"', 'R', 'E', 'Q', '"', ',', '"', (byte) 0xC3, (byte) 0x28, '"', ']'};
    private final URI uri;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "not-utf8-frames");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong closedWith1007 = new AtomicLong();
    private final AtomicLong otherwise = new AtomicLong();

    NotUtf8Frames(URI uri) {
        this.uri = uri;
    }

    /** Sends one such message on a new connection with these upgrade headers (in the background). */
    void send(Map<String, String> headers) {
        thread.execute(() -> {
            try {
                if (once(headers) == 1007) {
                    closedWith1007.incrementAndGet();
                } else {
                    otherwise.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                otherwise.incrementAndGet();
            }
        });
    }

    /** Connections the relay closed with 1007. */
    long closedWith1007() {
        return closedWith1007.get();
    }

    /** Connections that ended any other way (another status, a reset, a timeout). */
    long otherwise() {
        return otherwise.get();
    }

    /** Waits up to {@code millis} for the messages sent so far to be answered. */
    void finish(long millis) throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    private int once(Map<String, String> headers) throws IOException {
        boolean tls = "wss".equals(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder request = new StringBuilder("GET ").append(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                    ? "/" : uri.getRawPath()).append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(port)
                    .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            StringBuilder response = new StringBuilder();
            while (!response.toString().endsWith("\r\n\r\n")) {
                response.append((char) in.readUnsignedByte());
            }
            if (!response.toString().startsWith("HTTP/1.1 101")) {
                return -1;
            }
            ByteBuffer frame = ByteBuffer.allocate(2 + 4 + TEXT.length);
            frame.put((byte) 0x81).put((byte) (0x80 | TEXT.length)).putInt(0); // a zero mask leaves the bytes as they are
            out.write(frame.put(TEXT).array());
            out.flush();
            while (true) { // the relay's frames (an AUTH challenge first), until its close
                int first = in.readUnsignedByte();
                int length = in.readUnsignedByte() & 0x7f;
                long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                byte[] payload = in.readNBytes((int) Math.min(size, 1 << 20));
                if ((first & 0x0f) == 0x8) {
                    return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
