package dev.lbchannel.etcd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of a server that a test can {@link #cut()} and
 * {@link #restore()} on the same port: cut resets every relayed connection and resets each new
 * one as soon as it is accepted, as an unreachable host would; restore relays again. So a client
 * loses its server while the test still reaches it directly. One thread per direction; for tests.
 */
public final class TcpGate implements AutoCloseable {

    private final InetSocketAddress backend;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    public TcpGate(InetSocketAddress backend) throws IOException {
        this.backend = backend;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-gate-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port}. */
    public String endpoint() {
        return "127.0.0.1:" + port();
    }

    /** Resets every relayed connection and refuses (resets) new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        sockets.forEach(TcpGate::reset);
        sockets.clear();
    }

    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                reset(client);
                continue;
            }
            try {
                Socket upstream = new Socket(backend.getAddress(), backend.getPort());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                if (cut || server.isClosed()) {
                    reset(client);
                    reset(upstream);
                    continue;
                }
                relay(client, upstream);
                relay(upstream, client);
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side went away; the other side is closed below
            } finally {
                reset(to);
            }
        }, "tcp-gate-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do in a test relay
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
        cut();
    }
}
