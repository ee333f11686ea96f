package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the HTTP/2 streams of one connection's {@link NettyClientStream}s: at once when the
 * connection can take another, otherwise in arrival order once it can (its first SETTINGS came,
 * or a stream ended under the server's MAX_CONCURRENT_STREAMS). Links each HTTP/2 stream to its
 * {@link NettyClientStream} so that frames can be routed to it.
 *
 * <p>A stream refused here hears so in a later event-loop task, never during {@link #open}: a
 * stream may be opened inline from {@code ClientStream.start} on the loop, and its caller must
 * be done starting it before the stream's listener can be closed.
 *
 * <p>Event-loop confined, like the {@link GrpcClientHandler} it belongs to.
 */
final class StreamOpener {

    private final GrpcClientHandler handler;
    private final TransportStats stats;
    private final Http2Connection.PropertyKey streamKey;
    /** Streams wait here only before SETTINGS or at MAX_CONCURRENT_STREAMS: it starts small and grows. */
    private final ArrayDeque<NettyClientStream> pending = new ArrayDeque<>(2);

    StreamOpener(GrpcClientHandler handler, TransportStats stats) {
        this.handler = handler;
        this.stats = stats;
        this.streamKey = handler.connection().newKey();
    }

    /** Opens {@code stream} now if the connection can take it, else queues it. */
    void open(NettyClientStream stream) {
        if (!handler.acceptsStreams()) {
            refuseLater(stream, handler.refusal());
        } else if (!handler.isReady() || !pending.isEmpty() || !handler.connection().local().canOpenStream()) {
            pending.add(stream);
        } else {
            start(stream);
        }
    }

    /** Opens queued streams, in order, while the connection can take them. */
    void openPending() {
        while (handler.isReady() && handler.acceptsStreams() && !pending.isEmpty()
                && handler.connection().local().canOpenStream()) {
            start(pending.poll());
        }
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Forgets a queued stream that closed before it was opened. */
    void removePending(NettyClientStream stream) {
        pending.remove(stream);
    }

    /** Refuses every queued stream: none of them left this client. */
    void failPending(Status status) {
        for (NettyClientStream stream; (stream = pending.poll()) != null; ) {
            stream.transportFailed(status, RpcProgress.MISCARRIED);
        }
    }

    /** The stream routed to {@code stream}, or {@code null} when it has none (any more). */
    @Nullable NettyClientStream streamOf(Http2Stream stream) {
        return stream.getProperty(streamKey);
    }

    /** The open streams, copied so that failing them (which closes them) cannot disturb iteration. */
    List<NettyClientStream> active() {
        List<NettyClientStream> streams = new ArrayList<>(handler.connection().numActiveStreams());
        for (Http2Stream stream : activeHttp2Streams()) {
            NettyClientStream clientStream = stream.getProperty(streamKey);
            if (clientStream != null) {
                streams.add(clientStream);
            }
        }
        return streams;
    }

    /** The open HTTP/2 streams, copied for the same reason. */
    List<Http2Stream> activeHttp2Streams() {
        List<Http2Stream> streams = new ArrayList<>(handler.connection().numActiveStreams());
        try {
            handler.connection().forEachActiveStream(stream -> streams.add(stream));
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
        return streams;
    }

    private void start(NettyClientStream stream) {
        int id = handler.connection().local().incrementAndGetNextStreamId();
        if (id < 0) {
            refuseLater(stream, Status.UNAVAILABLE.withDescription("Stream IDs exhausted"));
            handler.shutdown(Status.UNAVAILABLE.withDescription("Stream IDs exhausted"));
            return;
        }
        ChannelHandlerContext ctx = handler.context();
        handler.encoder().writeHeaders(ctx, id, stream.requestHeaders(), 0, false, stream.newHeadersPromise(ctx));
        Http2Stream http2Stream = handler.connection().stream(id);
        if (http2Stream == null) {
            refuseLater(stream, Status.UNAVAILABLE.withDescription("Cannot open stream"));
            return;
        }
        http2Stream.setProperty(streamKey, stream);
        stats.streamStarted();
        stream.allocated(http2Stream);
    }

    /** The stream never left this client: it may be retried elsewhere as often as its call allows. */
    private void refuseLater(NettyClientStream stream, Status status) {
        handler.runLater(() -> stream.transportFailed(status, RpcProgress.MISCARRIED));
    }
}
