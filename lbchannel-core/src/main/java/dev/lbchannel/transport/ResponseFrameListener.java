package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Exception.StreamException;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import org.jspecify.annotations.Nullable;

import static io.netty.handler.codec.http2.Http2Exception.connectionError;

/**
 * Acts on the frames a server sends, in the client's part of RFC 9113: routes DATA, HEADERS and
 * RST_STREAM to the {@link NettyClientStream} they belong to, applies SETTINGS, answers PING, and
 * passes GOAWAY and WINDOW_UPDATE to the connection's parts. Checks what the frame reader cannot,
 * the streams' states (§5.1): a frame for a stream this client closed is dropped (its DATA given
 * back to the window at once), one for a stream it never opened is a connection error, and DATA
 * or HEADERS after the server ended a stream are a stream error.
 *
 * <p>Event-loop confined.
 */
final class ResponseFrameListener implements Http2FrameListener {

    private final GrpcClientHandler handler;
    private final OpenStreams streams;
    private final SendWindows sendWindows;
    private final ReceiveWindows receiveWindows;
    private final int maxInboundMetadataSize;

    ResponseFrameListener(GrpcClientHandler handler, OpenStreams streams, SendWindows sendWindows,
            ReceiveWindows receiveWindows, int maxInboundMetadataSize) {
        this.handler = handler;
        this.streams = streams;
        this.sendWindows = sendWindows;
        this.receiveWindows = receiveWindows;
        this.maxInboundMetadataSize = maxInboundMetadataSize;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
            throws Http2Exception {
        int bytes = data.readableBytes() + padding;
        Http2StreamState stream = openStream(streamId, "DATA");
        if (stream == null || stream.remoteEnded) {
            receiveWindows.received(null, bytes);
            if (stream != null) {
                closedByServer(stream, "DATA");
            }
            return bytes;
        }
        receiveWindows.received(stream, bytes);
        if (padding > 0) {
            receiveWindows.consumed(stream, padding);
        }
        if (stream.stream.isOpen()) {
            // Message bytes go back to the window as they are delivered.
            stream.stream.onData(data, endOfStream);
        } else {
            receiveWindows.consumed(stream, data.readableBytes());
        }
        if (endOfStream) {
            streams.remoteEnded(stream);
        }
        return bytes;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endOfStream) throws Http2Exception {
        Http2StreamState stream = openStream(streamId, "HEADERS");
        if (stream == null) {
            return;
        }
        if (stream.remoteEnded) {
            closedByServer(stream, "HEADERS");
            return;
        }
        if (stream.stream.isOpen()) {
            stream.stream.onHeaders(headers, endOfStream);
        }
        if (endOfStream) {
            streams.remoteEnded(stream);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
            boolean exclusive) {
        // §5.3.2: priority signals are advice; gRPC's streams are equal.
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) throws Http2Exception {
        Http2StreamState stream = openStream(streamId, "RST_STREAM");
        if (stream != null) {
            stream.resetDone = true;
            stream.stream.onRstStream(errorCode);
            streams.close(stream);
        }
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
        // This client's SETTINGS hold from the start: nothing waits for their acknowledgement.
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
        Boolean push = settings.pushEnabled();
        if (push != null && push) {
            throw connectionError(Http2Error.PROTOCOL_ERROR, "A server may not set SETTINGS_ENABLE_PUSH to 1");
        }
        Long maxConcurrent = settings.maxConcurrentStreams();
        if (maxConcurrent != null) {
            streams.maxConcurrentStreams(maxConcurrent);
        }
        Long tableSize = settings.headerTableSize();
        if (tableSize != null) {
            handler.frameWriter().headersConfiguration().maxHeaderTableSize(tableSize);
        }
        Long headerListSize = settings.maxHeaderListSize();
        if (headerListSize != null) {
            handler.frameWriter().headersConfiguration().maxHeaderListSize(headerListSize);
        }
        Integer frameSize = settings.maxFrameSize();
        if (frameSize != null) {
            handler.frameWriter().maxFrameSize(frameSize);
        }
        Integer windowSize = settings.initialWindowSize();
        if (windowSize != null) {
            sendWindows.initialWindowSize(ctx, windowSize, streams.openStreams());
        }
        handler.settingsReceived();
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
        handler.writePingAck(data);
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        handler.pingAckReceived(data);
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
            Http2Headers headers, int padding) {
        // The frame reader refuses PUSH_PROMISE: this client disables push.
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData)
            throws Http2Exception {
        handler.goAwayReceived(lastStreamId, errorCode, debugData);
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement)
            throws Http2Exception {
        if (streamId == 0) {
            sendWindows.connectionWindowUpdate(ctx, windowSizeIncrement);
            return;
        }
        Http2StreamState stream = openStream(streamId, "WINDOW_UPDATE");
        if (stream != null) {
            sendWindows.streamWindowUpdate(ctx, stream, windowSizeIncrement);
        }
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
            ByteBuf payload) {
        // §5.5: frames of unknown types are ignored.
    }

    /** A frame broke HTTP/2's rules for one stream: that stream fails and is reset, the connection goes on. */
    void streamError(StreamException error) {
        Http2StreamState stream = streams.get(error.streamId());
        if (stream != null) {
            streams.reset(stream, error.error(), error instanceof Http2Exception.HeaderListSizeException
                    ? Status.RESOURCE_EXHAUSTED.withDescription("Response metadata is larger than the limit of "
                            + maxInboundMetadataSize + " bytes")
                    : Status.INTERNAL.withDescription("HTTP/2 stream error: " + error.getMessage()));
        }
    }

    /**
     * The open stream a frame is for, or {@code null} when this client closed it (the frame is
     * dropped).
     *
     * @throws Http2Exception PROTOCOL_ERROR, a connection error, when this client never opened it
     */
    private @Nullable Http2StreamState openStream(int streamId, String frame) throws Http2Exception {
        Http2StreamState stream = streams.get(streamId);
        if (stream == null && !streams.mayHaveOpened(streamId)) {
            throw connectionError(Http2Error.PROTOCOL_ERROR, "%s frame for stream %d, which this client never opened",
                    frame, streamId);
        }
        return stream;
    }

    /** §5.1: DATA or HEADERS after the server's END_STREAM are a stream error of type STREAM_CLOSED. */
    private void closedByServer(Http2StreamState stream, String frame) {
        streams.reset(stream, Http2Error.STREAM_CLOSED, Status.INTERNAL.withDescription("HTTP/2 stream error: "
                + frame + " on stream " + stream.id + " after the server ended it"));
    }
}
