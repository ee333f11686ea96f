package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Routes the frames a server sends to the {@link NettyClientStream} they belong to, or to the
 * {@link GrpcClientHandler} for connection-level frames. DATA for a stream that no longer wants it
 * is returned to the flow-control window at once. Event-loop confined.
 */
final class ResponseFrameListener implements Http2FrameListener {

    private final GrpcClientHandler handler;

    ResponseFrameListener(GrpcClientHandler handler) {
        this.handler = handler;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        NettyClientStream stream = handler.clientStream(streamId);
        if (stream == null || !stream.isOpen()) {
            return data.readableBytes() + padding;
        }
        stream.onData(data, endOfStream);
        // Message bytes go back to the window as they are delivered, padding now; whatever is
        // left unconsumed when the stream closes, Netty's local flow controller gives back.
        return padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endOfStream) {
        NettyClientStream stream = handler.clientStream(streamId);
        if (stream != null) {
            stream.onHeaders(headers, endOfStream);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
            boolean exclusive) {
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        NettyClientStream stream = handler.clientStream(streamId);
        if (stream != null) {
            stream.onRstStream(errorCode);
        }
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
        handler.relaxHeaderListGoAwayLimit();
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        handler.settingsReceived();
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        handler.pingAckReceived(data);
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
            Http2Headers headers, int padding) {
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        handler.goAwayReceived(lastStreamId, errorCode, debugData);
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId,
            io.netty.handler.codec.http2.Http2Flags flags, ByteBuf payload) {
    }
}
