package dev.lbchannel.transport;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.jspecify.annotations.Nullable;

import static io.netty.handler.codec.http2.Http2Exception.connectionError;
import static io.netty.handler.codec.http2.Http2Exception.streamError;

/**
 * The client's inbound flow control (RFC 9113 §6.9): how much DATA the server may still send on
 * the connection and on each stream, and when to tell it that it may send more. Received bytes
 * come off the windows at once; they go back once consumed (a message delivered, padding, DATA
 * nobody wants), and a WINDOW_UPDATE announces them once half a window's worth has come back, as
 * gRPC's clients do: one update per half window, not one per message.
 *
 * <p>A stream's bytes still buffered when it closes go back to the connection's window then.
 * Event-loop confined.
 */
final class ReceiveWindows {

    private final GrpcClientHandler handler;
    /** The SETTINGS_INITIAL_WINDOW_SIZE this client announces: each stream's window. */
    private final int streamWindow;
    /** The connection window this client grows to once the connection is up. */
    private final int connectionTarget;
    private int connectionWindow = SendWindows.DEFAULT_WINDOW;
    private int connectionUnannounced;

    ReceiveWindows(GrpcClientHandler handler, int flowControlWindow) {
        this.handler = handler;
        this.streamWindow = flowControlWindow;
        this.connectionTarget = Math.max(flowControlWindow, SendWindows.DEFAULT_WINDOW);
    }

    /** The window a new stream starts with: what this client announced in its SETTINGS. */
    int streamWindow() {
        return streamWindow;
    }

    int connectionWindow() {
        return connectionWindow;
    }

    /** The connection is up: grows its window from HTTP/2's default to this client's. */
    void connectionReady() {
        int delta = connectionTarget - connectionWindow - connectionUnannounced;
        if (delta > 0) {
            connectionWindow += delta;
            handler.writeWindowUpdate(0, delta);
        }
    }

    /**
     * DATA of {@code bytes} flow-controlled bytes (padding included) arrived for {@code stream},
     * or for none that is still open. Bytes for no stream go back at once.
     *
     * @throws Http2Exception FLOW_CONTROL_ERROR when the server sent more than a window allowed:
     *     for the connection's, a connection error; for the stream's, a stream error, whose bytes
     *     have then gone back to the connection
     */
    void received(@Nullable Http2StreamState stream, int bytes) throws Http2Exception {
        if (bytes > connectionWindow) {
            throw connectionError(Http2Error.FLOW_CONTROL_ERROR,
                    "Server sent %d bytes of DATA over the connection's window of %d", bytes, connectionWindow);
        }
        connectionWindow -= bytes;
        if (stream == null) {
            returnToConnection(bytes);
            return;
        }
        if (bytes > stream.receiveWindow) {
            returnToConnection(bytes);
            throw streamError(stream.id, Http2Error.FLOW_CONTROL_ERROR,
                    "Server sent %d bytes of DATA over the window of %d of stream %d", bytes, stream.receiveWindow,
                    stream.id);
        }
        stream.receiveWindow -= bytes;
        stream.unconsumed += bytes;
    }

    /** {@code bytes} of the stream's DATA were consumed: they go back, announced once half a window is back. */
    void consumed(Http2StreamState stream, int bytes) {
        int returned = Math.min(bytes, stream.unconsumed);
        if (returned <= 0) {
            return;
        }
        stream.unconsumed -= returned;
        if (!stream.remoteEnded && !stream.closed) {
            stream.unannounced += returned;
            if (stream.unannounced >= streamWindow / 2) {
                int increment = stream.unannounced;
                stream.unannounced = 0;
                stream.receiveWindow += increment;
                handler.writeWindowUpdate(stream.id, increment);
            }
        }
        returnToConnection(returned);
    }

    /** The stream closed: what it received and never consumed goes back to the connection. */
    void streamClosed(Http2StreamState stream) {
        int unconsumed = stream.unconsumed;
        stream.unconsumed = 0;
        if (unconsumed > 0) {
            returnToConnection(unconsumed);
        }
    }

    private void returnToConnection(int bytes) {
        connectionUnannounced += bytes;
        if (connectionUnannounced >= connectionTarget / 2) {
            int increment = connectionUnannounced;
            connectionUnannounced = 0;
            connectionWindow += increment;
            handler.writeWindowUpdate(0, increment);
        }
    }
}
