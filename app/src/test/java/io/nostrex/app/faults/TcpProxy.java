package io.nostrex.app.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 between one role and the broker, which the drill can cut or hold:
 * <ul>
 *   <li>{@link #cut()}: every connection is reset and new ones are reset at once, as when a link
 *       goes down and the peer's stack answers with RST;</li>
 *   <li>{@link #hold()}: a partition: nothing is forwarded and nothing is lost; bytes wait (in the
 *       kernel's buffers, then the sender stalls) until {@link #heal()}, as when packets are dropped
 *       and TCP retransmits. New connections are accepted but not forwarded.</li>
 * </ul>
 */
final class TcpProxy implements AutoCloseable {
    private enum Mode { PASS, HOLD, CUT }

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    TcpProxy(int port, int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread accept = new Thread(this::accept, "proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    void cut() {
        mode = Mode.CUT;
        for (Socket s : sockets) {
            reset(s);
        }
    }

    void hold() {
        mode = Mode.HOLD;
    }

    void heal() {
        synchronized (lock) {
            mode = Mode.PASS;
            lock.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.CUT) {
                reset(client);
                continue;
            }
            sockets.add(client);
            Thread t = new Thread(() -> connect(client), "proxy-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        Socket upstream = null;
        try {
            awaitPass();
            upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            sockets.add(upstream);
            Socket up = upstream;
            Thread back = new Thread(() -> pump(up, client), "proxy-back");
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
        } catch (IOException | InterruptedException e) {
            reset(client);
            if (upstream != null) {
                reset(upstream);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                awaitPass();
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                awaitPass(); // what was read during a hold waits here, and is not lost
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // cut, or the other side went away
        } finally {
            reset(from);
            reset(to);
        }
    }

    private void awaitPass() throws InterruptedException, IOException {
        synchronized (lock) {
            while (mode == Mode.HOLD && !closed) {
                lock.wait(100);
            }
        }
        if (mode == Mode.CUT || closed) {
            throw new IOException("cut");
        }
    }

    private void reset(Socket s) {
        sockets.remove(s);
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        heal();
        server.close();
        for (Socket s : sockets) {
            reset(s);
        }
    }
}
