package dev.lbchannel.transport;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;

/**
 * The HTTP/2 stream of one {@link NettyClientStream}, as the client's side of RFC 9113 keeps it:
 * its id, its two flow-control windows (§6.9), which side has ended it (§5.1), and the DATA that
 * waits for the server's window. Made when the stream opens (its HEADERS are written) and closed
 * once both sides have ended it, either side reset it, or the connection went; a closed stream is
 * forgotten by its connection, and frames that arrive for it later are dropped.
 *
 * <p>The connection's parts keep its fields: {@link OpenStreams} its life, {@link SendWindows}
 * its send window and queued DATA, {@link ReceiveWindows} its receive window. Event-loop confined.
 */
final class Http2StreamState {

    final int id;
    final NettyClientStream stream;
    /** Bytes of DATA the server lets us send; negative when the server shrank the initial window. */
    int sendWindow;
    /** Bytes the server may still send before it must wait for our WINDOW_UPDATE. */
    int receiveWindow;
    /** Bytes received and not yet given back: buffered for the application, or not yet requested. */
    int unconsumed;
    /** Bytes given back but not yet announced to the server in a WINDOW_UPDATE. */
    int unannounced;
    /** Whether this stream's HEADERS went out: a stream the server never heard of is not reset. */
    boolean headersSent;
    /** Whether the server needs no RST_STREAM when the call ends early: one was sent, or its GOAWAY refused the stream. */
    boolean resetDone;
    boolean localEnded;
    boolean remoteEnded;
    boolean closed;
    /** DATA that waits for a send window, in order; {@code null} while none waits. */
    @Nullable ArrayDeque<SendWindows.QueuedData> queued;

    Http2StreamState(int id, NettyClientStream stream, int sendWindow, int receiveWindow) {
        this.id = id;
        this.stream = stream;
        this.sendWindow = sendWindow;
        this.receiveWindow = receiveWindow;
    }

    /** Whether DATA of this stream waits for a window. */
    boolean hasQueued() {
        return queued != null && !queued.isEmpty();
    }

    @Override
    public String toString() {
        return "stream " + id;
    }
}
