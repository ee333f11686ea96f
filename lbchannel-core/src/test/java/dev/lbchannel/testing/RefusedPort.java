package dev.lbchannel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as this is open. A port merely found free
 * (bound, then released) is not enough: Linux may hand that very port to the client's own socket,
 * and a connection to it then succeeds by TCP simultaneous open, talking to itself. Holding the
 * port bound without listening rules that out: every connection attempt is refused.
 */
public final class RefusedPort implements AutoCloseable {

    private final Socket holder = new Socket();

    public RefusedPort() {
        try {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reserve a loopback port", e);
        }
    }

    public int port() {
        return holder.getLocalPort();
    }

    /** {@code 127.0.0.1} and the port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
