package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes each frame a reader delivers as a line, so two readers can be compared on the same
 * bytes; header lists as name=value in order, whatever their class.
 */
final class FrameEvents implements Http2FrameListener {

    final List<String> events = new ArrayList<>();

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
        events.add("data " + streamId + " " + ByteBufUtil.hexDump(data) + " pad " + padding + " end " + end);
        return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean end) {
        events.add("headers " + streamId + " " + text(headers) + " pad " + padding + " end " + end);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int dependency,
            short weight, boolean exclusive, int padding, boolean end) {
        events.add("headers " + streamId + " " + text(headers) + " dep " + dependency + " w " + weight
                + " ex " + exclusive + " pad " + padding + " end " + end);
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int dependency, short weight,
            boolean exclusive) {
        events.add("priority " + streamId + " " + dependency + " " + weight + " " + exclusive);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        events.add("rst " + streamId + " " + errorCode);
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
        events.add("settings ack");
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        events.add("settings " + settings);
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
        events.add("ping " + data);
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        events.add("ping ack " + data);
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
            Http2Headers headers, int padding) {
        events.add("push " + streamId);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        events.add("goaway " + lastStreamId + " " + errorCode + " " + ByteBufUtil.hexDump(debugData));
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int increment) {
        events.add("window " + streamId + " " + increment);
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
            ByteBuf payload) {
        events.add("unknown " + frameType + " " + streamId + " " + flags.value() + " "
                + ByteBufUtil.hexDump(payload));
    }

    /**
     * Pseudo-headers first, then the others, each in arrival order: Netty's header class moves
     * pseudo-headers to the front as it stores them, ours keeps arrival order, and neither order
     * is the reader's business (the stream layer checks where pseudo-headers may be).
     */
    private static String text(Http2Headers headers) {
        StringBuilder pseudo = new StringBuilder();
        StringBuilder regular = new StringBuilder();
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            CharSequence name = header.getKey();
            StringBuilder text = name.length() > 0 && name.charAt(0) == ':' ? pseudo : regular;
            text.append(name).append('=').append(header.getValue()).append(';');
        }
        return pseudo.append(regular).toString();
    }
}
