package dev.lbchannel.transport;

import dev.lbchannel.transport.hpack.HeaderBlockEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the frames a client sends (RFC 9113 §6), each HEADERS block and each small DATA frame as
 * one buffer with one promise. Netty's general writer sends a frame as two or three buffers (the
 * frame header, a slice of the payload, padding) joined by a flags object and a promise
 * aggregator; a unary call paid that twice. Here a header block is encoded straight after room
 * left for its frame header, and a small DATA payload is copied behind its frame header: a copy of
 * at most {@value #COPY_LIMIT} bytes costs less than the objects it saves, and the socket gets
 * half the buffers to gather. This client never pads, so nothing here can.
 *
 * <p>A DATA frame's payload must fit one frame: {@link SendWindows} cuts larger writes to the
 * peer's windows and {@link #maxFrameSize()}. The peer's SETTINGS reach the HPACK encoder's table
 * size and header list limit through {@link #headersConfiguration()}. Event-loop confined.
 */
final class ClientFrameWriter {

    /** DATA payloads up to this many bytes are copied behind their frame header. */
    static final int COPY_LIMIT = 2048;
    static final int FRAME_HEADER_LENGTH = 9;
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GO_AWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int CONTINUATION = 0x9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Room for a typical request's header block; the buffer grows for a larger one. */
    private static final int HEADERS_CAPACITY = 256;

    private final HeaderBlockEncoder headersEncoder = new HeaderBlockEncoder();
    private int maxFrameSize = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;

    /** The HPACK encoder's limits, which the peer's SETTINGS set. */
    Http2HeadersEncoder.Configuration headersConfiguration() {
        return headersEncoder;
    }

    /** The peer's SETTINGS_MAX_FRAME_SIZE, already checked by the frame reader. */
    void maxFrameSize(int max) {
        maxFrameSize = max;
    }

    int maxFrameSize() {
        return maxFrameSize;
    }

    /** The client's connection preface (RFC 9113 §3.4) and its first SETTINGS, in one buffer. */
    ChannelFuture writePreface(ChannelHandlerContext ctx, Http2Settings settings, ChannelPromise promise) {
        ByteBuf out = ctx.alloc().buffer(PREFACE.length + FRAME_HEADER_LENGTH + settings.size() * 6);
        out.writeBytes(PREFACE);
        writeFrameHeader(out, settings.size() * 6, SETTINGS, 0, 0);
        for (Map.Entry<Character, Long> setting : settings.entrySet()) {
            out.writeShort(setting.getKey()).writeInt(setting.getValue().intValue());
        }
        return ctx.write(out, promise);
    }

    /** One DATA frame; {@code data} (released here) must fit one frame. */
    ChannelFuture writeData(ChannelHandlerContext ctx, int streamId, ByteBuf data, boolean endStream,
            ChannelPromise promise) {
        int length = data.readableBytes();
        ByteBuf header = null;
        try {
            if (streamId <= 0 || length > maxFrameSize) {
                throw new IllegalArgumentException("DATA of " + length + " bytes on stream " + streamId
                        + " does not fit one frame of at most " + maxFrameSize);
            }
            if (length <= COPY_LIMIT) {
                ByteBuf frame = ctx.alloc().buffer(FRAME_HEADER_LENGTH + length);
                writeFrameHeader(frame, length, DATA, endStream ? END_STREAM : 0, streamId);
                frame.writeBytes(data, data.readerIndex(), length);
                data.release();
                return ctx.write(frame, promise);
            }
            header = ctx.alloc().buffer(FRAME_HEADER_LENGTH);
            writeFrameHeader(header, length, DATA, endStream ? END_STREAM : 0, streamId);
        } catch (Throwable t) {
            data.release();
            return promise.setFailure(t);
        }
        // The payload follows its header unchanged; were the header's write to fail, the channel
        // is closed and the payload's fails too, so only the payload's outcome is listened for.
        ctx.write(header, ctx.channel().unsafe().voidPromise());
        return ctx.write(data, promise);
    }

    /**
     * One header block: a HEADERS frame, followed by CONTINUATION frames when it is larger than
     * one frame (RFC 9113 §6.10: nothing may come between them, which one buffer guarantees).
     * A block over the peer's header list limit fails the promise and writes nothing.
     */
    ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endStream,
            ChannelPromise promise) {
        ByteBuf frames;
        ByteBuf block = null;
        try {
            if (streamId <= 0) {
                throw new IllegalArgumentException("HEADERS on stream " + streamId);
            }
            block = ctx.alloc().buffer(HEADERS_CAPACITY);
            block.writerIndex(FRAME_HEADER_LENGTH); // the frame header goes here once the length is known
            headersEncoder.encode(streamId, headers, block);
            int length = block.readableBytes() - FRAME_HEADER_LENGTH;
            int flags = endStream ? END_STREAM : 0;
            if (length <= maxFrameSize) {
                block.setMedium(0, length).setByte(3, HEADERS).setByte(4, flags | END_HEADERS).setInt(5, streamId);
                frames = block;
                block = null;
            } else {
                frames = withContinuations(ctx, block.skipBytes(FRAME_HEADER_LENGTH), flags, streamId);
            }
        } catch (Throwable t) {
            return promise.setFailure(t);
        } finally {
            if (block != null) {
                block.release();
            }
        }
        return ctx.write(frames, promise);
    }

    ChannelFuture writeSettingsAck(ChannelHandlerContext ctx, ChannelPromise promise) {
        ByteBuf out = ctx.alloc().buffer(FRAME_HEADER_LENGTH);
        writeFrameHeader(out, 0, SETTINGS, ACK, 0);
        return ctx.write(out, promise);
    }

    ChannelFuture writePing(ChannelHandlerContext ctx, boolean ack, long data, ChannelPromise promise) {
        ByteBuf out = ctx.alloc().buffer(FRAME_HEADER_LENGTH + 8);
        writeFrameHeader(out, 8, PING, ack ? ACK : 0, 0);
        out.writeLong(data);
        return ctx.write(out, promise);
    }

    ChannelFuture writeRstStream(ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
        ByteBuf out = ctx.alloc().buffer(FRAME_HEADER_LENGTH + 4);
        writeFrameHeader(out, 4, RST_STREAM, 0, streamId);
        out.writeInt((int) errorCode);
        return ctx.write(out, promise);
    }

    /** A GOAWAY whose debug data (released here) says why, for people reading the peer's logs. */
    ChannelFuture writeGoAway(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData,
            ChannelPromise promise) {
        try {
            int length = 8 + debugData.readableBytes();
            ByteBuf out = ctx.alloc().buffer(FRAME_HEADER_LENGTH + length);
            writeFrameHeader(out, length, GO_AWAY, 0, 0);
            out.writeInt(lastStreamId).writeInt((int) errorCode).writeBytes(debugData);
            return ctx.write(out, promise);
        } finally {
            debugData.release();
        }
    }

    ChannelFuture writeWindowUpdate(ChannelHandlerContext ctx, int streamId, int increment, ChannelPromise promise) {
        ByteBuf out = ctx.alloc().buffer(FRAME_HEADER_LENGTH + 4);
        writeFrameHeader(out, 4, WINDOW_UPDATE, 0, streamId);
        out.writeInt(increment);
        return ctx.write(out, promise);
    }

    private ByteBuf withContinuations(ChannelHandlerContext ctx, ByteBuf block, int flags, int streamId) {
        int max = maxFrameSize;
        int length = block.readableBytes();
        int frameCount = (length + max - 1) / max;
        ByteBuf frames = ctx.alloc().buffer(length + frameCount * FRAME_HEADER_LENGTH);
        try {
            int type = HEADERS;
            while (block.isReadable()) {
                int fragment = Math.min(max, block.readableBytes());
                boolean last = fragment == block.readableBytes();
                writeFrameHeader(frames, fragment, type, flags | (last ? END_HEADERS : 0), streamId);
                frames.writeBytes(block, fragment);
                type = CONTINUATION;
                flags = 0; // END_STREAM belongs to the HEADERS frame only
            }
            return frames;
        } catch (Throwable t) {
            frames.release();
            throw t;
        }
    }

    private static void writeFrameHeader(ByteBuf out, int length, int type, int flags, int streamId) {
        out.writeMedium(length).writeByte(type).writeByte(flags).writeInt(streamId);
    }
}
