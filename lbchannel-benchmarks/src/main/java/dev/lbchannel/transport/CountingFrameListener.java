package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * A frame listener that does the least a real one must: counts the frames, the DATA bytes and
 * the header fields, and reports DATA as processed, as a flow controller would be told. It keeps
 * no buffer (a listener does not own what it is handed), so nothing needs releasing.
 */
final class CountingFrameListener implements Http2FrameListener {

    long frames;
    long dataBytes;
    long headerFields;
    long pings;
    long windowUpdates;
    long settings;
    long dataFrames;
    long headersFrames;

    void reset() {
        frames = 0;
        dataBytes = 0;
        headerFields = 0;
        pings = 0;
        windowUpdates = 0;
        settings = 0;
        dataFrames = 0;
        headersFrames = 0;
    }

    /** One number that changes with every count, for JMH to consume. */
    long checksum() {
        return frames * 31 + dataBytes * 17 + headerFields * 7 + pings * 5 + windowUpdates * 3 + settings;
    }

    String summary() {
        return frames + " frames (" + headersFrames + " HEADERS, " + dataFrames + " DATA, " + settings
                + " SETTINGS, " + windowUpdates + " WINDOW_UPDATE, " + pings + " PING), " + dataBytes
                + " DATA bytes, " + headerFields + " header fields";
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        frames++;
        dataFrames++;
        int bytes = data.readableBytes();
        dataBytes += bytes;
        return bytes + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endOfStream) {
        frames++;
        headersFrames++;
        headerFields += headers.size();
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
            boolean exclusive) {
        frames++;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        frames++;
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
        frames++;
        settings++;
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        frames++;
        this.settings++;
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
        frames++;
        pings++;
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        frames++;
        pings++;
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
            Http2Headers headers, int padding) {
        frames++;
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        frames++;
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
        frames++;
        windowUpdates++;
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
            ByteBuf payload) {
        frames++;
    }
}
