package dev.lbchannel.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy for one connection that passes bytes both ways unchanged and keeps what
 * each side sent, one piece per socket read, so that a capture starts at the server's first
 * byte (its SETTINGS) and keeps the HPACK dynamic table consistent.
 */
final class RecordingProxy implements AutoCloseable {

    /** Netty's largest read by default; a read returns at most this much. */
    private static final int READ_SIZE = 64 * 1024;

    private final ServerSocket listener;
    private final int serverPort;
    private final List<byte[]> fromServer = new ArrayList<>();
    private final List<byte[]> fromClient = new ArrayList<>();
    private final CompletableFuture<Void> serverClosed = new CompletableFuture<>();
    private final List<Socket> sockets = new ArrayList<>();

    RecordingProxy(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptOne, "recording-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptOne() {
        try {
            Socket client = listener.accept();
            Socket server = new Socket();
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            synchronized (sockets) {
                sockets.add(client);
                sockets.add(server);
            }
            pump("recording-proxy-up", client.getInputStream(), server.getOutputStream(), fromClient);
            pump("recording-proxy-down", server.getInputStream(), client.getOutputStream(), fromServer);
        } catch (IOException e) {
            serverClosed.completeExceptionally(e);
        }
    }

    private void pump(String name, InputStream in, OutputStream out, List<byte[]> record) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[READ_SIZE];
            try {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    synchronized (record) {
                        record.add(Arrays.copyOf(buffer, n));
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // The other side closed: the capture ends here.
            } finally {
                if (record == fromServer) {
                    serverClosed.complete(null);
                }
                closeSockets();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** What the client sent (its preface first), once the connection has closed (bounded wait). */
    List<byte[]> clientBytes() throws Exception {
        serverClosed.get(10, TimeUnit.SECONDS);
        synchronized (fromClient) {
            return List.copyOf(fromClient);
        }
    }

    /** What the server sent, once the connection has closed (bounded wait). */
    List<byte[]> serverBytes() throws Exception {
        serverClosed.get(10, TimeUnit.SECONDS);
        synchronized (fromServer) {
            return List.copyOf(fromServer);
        }
    }

    private void closeSockets() {
        synchronized (sockets) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    @Override
    public void close() {
        closeSockets();
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
