package dev.lbchannel.demo.backend;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * One demo backend: a grpc-java server of {@link GreeterService} on a loopback port. The first
 * start binds the configured port (0 lets the OS pick one); every later start binds the same
 * port again, so a client that resolved the address once finds the backend back there.
 * {@link #stop()} is {@code shutdownNow()}: connections close at once, the way a crashed backend
 * looks to its clients. Thread-safe: start and stop are serialized on a private lock; the
 * readers ({@link #port()}, {@link #address()}, {@link #isRunning()}) take no lock and never wait,
 * so a channel's serializer may call them.
 */
public final class GreeterBackend {

    private static final long STOP_WAIT_SECONDS = 5;
    /** IPv4 loopback without a host name: channelz, the dashboard and traces all print 127.0.0.1:port. */
    private static final InetAddress LOOPBACK = loopback();

    private final int id;
    private final Object lifecycle = new Object();
    /** The configured port until the first start, then the bound one for good: restarts rebind it. */
    private volatile int port;
    /** Written only under {@link #lifecycle}; read without it. */
    private volatile @Nullable Server server;

    /**
     * @throws InvalidConfigurationPropertyValueException when the port is not 0..65535, naming
     *         its entry in {@code demo.backends.ports}
     */
    GreeterBackend(int id, int port) {
        if (port < 0 || port > 65535) {
            throw new InvalidConfigurationPropertyValueException("demo.backends.ports[" + (id - 1) + "]", port,
                    "Set a port from 1 to 65535, or 0 to let the OS pick a free one.");
        }
        this.id = id;
        this.port = port;
    }

    /** The backend's id, 1 for the first. */
    public int id() {
        return id;
    }

    /** The port it listens on (or listened on, once stopped); 0 before the first start. */
    public int port() {
        return port;
    }

    /** Its address as a client dials it, {@code 127.0.0.1:port}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    public boolean isRunning() {
        return server != null;
    }

    /**
     * Starts serving on the backend's port; does nothing when it is already running.
     *
     * @throws BackendStartException when the port cannot be bound, naming it
     */
    public void start() {
        synchronized (lifecycle) {
            if (server != null) {
                return;
            }
            Server started = NettyServerBuilder.forAddress(new InetSocketAddress(LOOPBACK, port))
                    .addService(new GreeterService(id))
                    .directExecutor() // The greeter never blocks; no thread hop needed.
                    .build();
            try {
                started.start();
            } catch (IOException e) {
                started.shutdownNow();
                throw new BackendStartException("Backend " + id + " cannot listen on "
                        + LOOPBACK.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
            }
            port = started.getPort(); // Before server: whoever sees it running sees its port.
            server = started;
        }
    }

    /**
     * Stops serving at once, closing every connection, and waits (a few seconds at most) until the
     * port is free again; does nothing when it is not running.
     */
    public void stop() {
        // Waiting under the lock keeps a start right after from finding the port still bound;
        // no reader takes this lock, so none waits with it.
        synchronized (lifecycle) {
            Server running = server;
            if (running == null) {
                return;
            }
            server = null;
            running.shutdownNow();
            try {
                running.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // Four bytes are always a valid IPv4 address.
        }
    }

    @Override
    public String toString() {
        return "backend " + id + " on " + LOOPBACK.getHostAddress() + ":" + port
                + (server != null ? " (running)" : " (stopped)");
    }
}
