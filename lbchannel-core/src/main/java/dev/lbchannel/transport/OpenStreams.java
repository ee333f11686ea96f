package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.collection.IntObjectHashMap;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The HTTP/2 streams of one connection (RFC 9113 §5.1), from open to closed. Opens the streams of
 * its {@link NettyClientStream}s at once when the connection can take another, otherwise in
 * arrival order once it can (its first SETTINGS came, or a stream ended under the server's
 * SETTINGS_MAX_CONCURRENT_STREAMS); keeps the open ones by id; closes each once both sides have
 * ended it, either reset it, or the connection went. Stream ids are odd and rising (§5.1.1): the
 * highest one opened tells a frame for a stream that closed (dropped) from one for a stream that
 * never was (a connection error).
 *
 * <p>A stream refused here hears so in a later event-loop task, never during {@link #open}: a
 * stream may be opened inline from {@code ClientStream.start} on the loop, and its caller must
 * be done starting it before the stream's listener can be closed.
 *
 * <p>Event-loop confined, like the {@link GrpcClientHandler} it belongs to.
 */
final class OpenStreams {

    /** The first id after the last a client may use (2^31 - 1 is odd and the last). */
    private static final long ID_LIMIT = (long) Integer.MAX_VALUE + 2;

    private final GrpcClientHandler handler;
    private final TransportStats stats;
    private final SendWindows sendWindows;
    private final ReceiveWindows receiveWindows;
    /** The open streams; a connection carries few at once, so the table starts small. */
    private final IntObjectHashMap<Http2StreamState> open = new IntObjectHashMap<>(4);
    /**
     * Streams wait here only before SETTINGS or at MAX_CONCURRENT_STREAMS: made on first use
     * (most connections never queue one), small, and grown as needed.
     */
    private @Nullable ArrayDeque<NettyClientStream> pending;
    private long nextId = 1;
    private int lastOpenedId;
    private long maxConcurrent = Long.MAX_VALUE;

    OpenStreams(GrpcClientHandler handler, TransportStats stats, SendWindows sendWindows,
            ReceiveWindows receiveWindows) {
        this.handler = handler;
        this.stats = stats;
        this.sendWindows = sendWindows;
        this.receiveWindows = receiveWindows;
    }

    /** Opens {@code stream} now if the connection can take it, else queues it. */
    void open(NettyClientStream stream) {
        if (!handler.acceptsStreams()) {
            refuseLater(stream, handler.refusal());
        } else if (!handler.isReady() || hasPending() || !canOpen()) {
            if (pending == null) {
                pending = new ArrayDeque<>(2);
            }
            pending.add(stream);
        } else {
            start(stream);
        }
    }

    /** Opens queued streams, in order, while the connection can take them. */
    void openPending() {
        while (handler.isReady() && handler.acceptsStreams() && hasPending() && canOpen()) {
            start(pending.poll());
        }
    }

    boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    /** Forgets a queued stream that closed before it was opened. */
    void removePending(NettyClientStream stream) {
        if (pending != null) {
            pending.remove(stream);
        }
    }

    /** Refuses every queued stream: none of them left this client. */
    void failPending(Status status) {
        if (pending == null) {
            return;
        }
        for (NettyClientStream stream; (stream = pending.poll()) != null; ) {
            stream.transportFailed(status, RpcProgress.MISCARRIED);
        }
    }

    /** The server's SETTINGS_MAX_CONCURRENT_STREAMS. */
    void maxConcurrentStreams(long max) {
        maxConcurrent = max;
    }

    /** The open stream with {@code id}, or {@code null} when none is (any more). */
    @Nullable Http2StreamState get(int id) {
        return open.get(id);
    }

    /** Whether {@code id} is a stream this client opened (and may since have closed). */
    boolean mayHaveOpened(int id) {
        return (id & 1) == 1 && id <= lastOpenedId;
    }

    int openCount() {
        return open.size();
    }

    /** The open streams, as they are: not to be changed while iterated. */
    Collection<Http2StreamState> openStreams() {
        return open.values();
    }

    /** The open streams, copied so that failing them (which closes them) cannot disturb iteration. */
    List<Http2StreamState> openStreamsCopy() {
        return new ArrayList<>(open.values());
    }

    /** This client sent END_STREAM on {@code stream}. */
    void localEnded(Http2StreamState stream) {
        stream.localEnded = true;
        if (stream.remoteEnded) {
            close(stream);
        }
    }

    /** The server sent END_STREAM on {@code stream}. */
    void remoteEnded(Http2StreamState stream) {
        stream.remoteEnded = true;
        if (stream.localEnded) {
            close(stream);
        }
    }

    /**
     * Fails a stream's call for a frame that broke HTTP/2's rules for that stream, and resets it
     * with the error's code (§5.4.2); the connection goes on.
     */
    void reset(Http2StreamState stream, Http2Error error, Status status) {
        if (stream.closed) {
            return;
        }
        handler.writeRstStream(stream.id, error);
        stream.resetDone = true;
        stream.stream.fail(status); // the call hears this status first; closing it closes the stream
        close(stream);
    }

    /** Closes and forgets {@code stream}: both sides ended it, either reset it, or the connection went. */
    void close(Http2StreamState stream) {
        if (stream.closed) {
            return;
        }
        stream.closed = true;
        open.remove(stream.id);
        sendWindows.streamClosed(stream);
        receiveWindows.streamClosed(stream);
        if (open.isEmpty()) {
            handler.transport().inUse(false);
        }
        if (hasPending() || !handler.acceptsStreams()) {
            handler.startPendingOrCloseIfDrainedLater();
        }
    }

    private boolean canOpen() {
        return open.size() < maxConcurrent;
    }

    private void start(NettyClientStream stream) {
        if (nextId >= ID_LIMIT) {
            refuseLater(stream, Status.UNAVAILABLE.withDescription("Stream IDs exhausted"));
            handler.shutdown(Status.UNAVAILABLE.withDescription("Stream IDs exhausted"));
            return;
        }
        int id = (int) nextId;
        nextId += 2;
        lastOpenedId = id;
        Http2StreamState state = new Http2StreamState(id, stream, sendWindows.initialStreamWindow(),
                receiveWindows.streamWindow());
        open.put(id, state);
        if (open.size() == 1) {
            handler.transport().inUse(true);
        }
        stream.opened(state);
        ChannelHandlerContext ctx = handler.context();
        handler.frameWriter().writeHeaders(ctx, id, stream.requestHeaders(), false, stream.newHeadersPromise(ctx));
        if (state.closed) {
            // Its header block could not be encoded (over the server's limit) or written, and its
            // promise failed the stream: the server never heard of it, so it was not reset.
            return;
        }
        state.headersSent = true;
        stats.streamStarted();
        stream.allocated();
    }

    /** The stream never left this client: it may be retried elsewhere as often as its call allows. */
    private void refuseLater(NettyClientStream stream, Status status) {
        handler.runLater(() -> stream.transportFailed(status, RpcProgress.MISCARRIED));
    }
}
