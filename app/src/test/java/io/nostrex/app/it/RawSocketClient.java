package io.nostrex.app.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a bare socket that sends frames and never reads unless asked: a reader
 * that does not keep up, to test the relay's outbound bound.
 */
final class RawSocketClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    RawSocketClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setReceiveBufferSize(4096);
        out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("nostrex-slow-key".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("handshake failed");
            }
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
        }
    }

    /** Sends one masked text frame (client frames must be masked). */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        out.write(0x81);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        }
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    /** Reads and discards everything until the relay closes the connection; false on timeout. */
    boolean drainUntilClosed(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buffer = new byte[65536];
        try {
            while (socket.getInputStream().read(buffer) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
