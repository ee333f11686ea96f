package dev.lbchannel.testing;

import org.jspecify.annotations.Nullable;

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
 * A TCP relay on loopback in front of a test server, so that a test can cut connections the way
 * a crashed host does: {@link #kill()} resets every relayed socket without a word of HTTP/2, and
 * {@link #blackHole()} makes every connection half-open: bytes are still accepted from both sides
 * and never delivered, as when a host or a network path disappears without a reset;
 * {@link #refuse()} resets every connection and each new one until {@link #resume()}, as an
 * unreachable server does, without giving up the port.
 * One thread per direction; for tests only.
 */
public final class TcpProxy implements AutoCloseable {

    /** Sees the bytes clients send, as the relay reads them, on the relay's thread. */
    @FunctionalInterface
    public interface Tap {
        void clientSent(byte[] bytes, int length);
    }

    private final InetSocketAddress backend;
    private final @Nullable Tap tap;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean blackHoled;
    private volatile boolean refusing;

    public TcpProxy(InetSocketAddress backend) throws IOException {
        this(backend, null);
    }

    /** A relay that shows {@code tap} what clients send. */
    public TcpProxy(InetSocketAddress backend, @Nullable Tap tap) throws IOException {
        this.backend = backend;
        this.tap = tap;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                reset(client);
                continue;
            }
            try {
                Socket upstream = new Socket(backend.getAddress(), backend.getPort());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                if (server.isClosed()) {
                    kill(); // closed while this one was being accepted: it must not outlive the close
                    return;
                }
                if (refusing) {
                    // refuse() ran while this one was being connected, after its kill() had passed
                    reset(client);
                    reset(upstream);
                    sockets.remove(client);
                    sockets.remove(upstream);
                    continue;
                }
                relay(client, upstream, tap);
                relay(upstream, client, null);
            } catch (IOException e) {
                closeQuietly(client);   // the backend is down: refuse this one, keep accepting
            }
        }
    }

    private void relay(Socket from, Socket to, @Nullable Tap seen) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (seen != null) {
                        seen.clientSent(buffer, n);
                    }
                    if (!blackHoled) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // one side went away; the other side is closed below
            } finally {
                closeQuietly(to);
            }
        }, "tcp-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on nothing is delivered either way; connections stay open, silent. */
    public void blackHole() {
        blackHoled = true;
    }

    /** Resets every relayed connection (TCP RST), as a crashed server would. New connections are still relayed. */
    public void kill() {
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
    }

    /** Resets every connection, and each new one as soon as it is accepted, until {@link #resume()}. */
    public void refuse() {
        refusing = true;
        kill();
    }

    /** Relays new connections again after {@link #refuse()}. */
    public void resume() {
        refusing = false;
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    @Override
    public void close() {
        closeQuietly(server);
        kill();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do in a test relay
        }
    }
}
