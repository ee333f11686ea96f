package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

/**
 * Writes the frames a client sends, as Netty's writer does, but each HEADERS block and each small
 * DATA frame as one buffer with one promise. Netty's writer sends a frame as two or three
 * buffers (the frame header, a slice of the payload, padding) and allocates a flags object and a
 * promise aggregator to join their outcomes; a unary call paid that twice. Here the header block
 * is encoded straight after room left for its frame header, and a small DATA payload is copied
 * behind its frame header: a copy of at most {@value #COPY_LIMIT} bytes costs less than the
 * objects it saves, and the socket gets half the buffers to gather.
 *
 * <p>Everything else (padded frames, larger DATA, SETTINGS, PING, RST_STREAM, GOAWAY,
 * WINDOW_UPDATE) is Netty's, and so is the configuration: the connection's SETTINGS still reach
 * the header table size, header list size and frame size used here. Event-loop confined.
 */
final class ClientFrameWriter extends DefaultHttp2FrameWriter {

    /** DATA payloads up to this many bytes are copied behind their frame header. */
    static final int COPY_LIMIT = 2048;
    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int CONTINUATION = 0x9;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    /** Room for a typical request's header block; the buffer grows for a larger one. */
    private static final int HEADERS_CAPACITY = 256;
    private static final int DYNAMIC_TABLE_BUCKETS = 16;

    private final Http2HeadersEncoder headersEncoder;

    ClientFrameWriter() {
        // A hash table of 16 buckets for the HPACK dynamic table, as Netty 4.1 and grpc-java have:
        // Netty 4.2's 64 cost every connection 384 more bytes, for a request's handful of headers.
        this(new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, false, DYNAMIC_TABLE_BUCKETS));
    }

    private ClientFrameWriter(Http2HeadersEncoder headersEncoder) {
        super(headersEncoder);
        this.headersEncoder = headersEncoder;
    }

    @Override
    public ChannelFuture writeData(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
            boolean endStream, ChannelPromise promise) {
        int length = data.readableBytes();
        if (padding != 0 || length > COPY_LIMIT || length > maxFrameSize() || streamId <= 0) {
            return super.writeData(ctx, streamId, data, padding, endStream, promise);
        }
        ByteBuf frame = null;
        try {
            frame = ctx.alloc().buffer(FRAME_HEADER_LENGTH + length);
            writeFrameHeader(frame, length, DATA, endStream ? END_STREAM : 0, streamId);
            frame.writeBytes(data, data.readerIndex(), length);
        } catch (Throwable t) {
            if (frame != null) {
                frame.release();
            }
            return promise.setFailure(t);
        } finally {
            data.release();
        }
        return ctx.write(frame, promise);
    }

    @Override
    public ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endStream, ChannelPromise promise) {
        if (padding != 0 || streamId <= 0) {
            return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
        }
        ByteBuf frames;
        ByteBuf block = null;
        try {
            block = ctx.alloc().buffer(HEADERS_CAPACITY);
            block.writerIndex(FRAME_HEADER_LENGTH); // the frame header goes here once the length is known
            headersEncoder.encodeHeaders(streamId, headers, block);
            int length = block.readableBytes() - FRAME_HEADER_LENGTH;
            int flags = endStream ? END_STREAM : 0;
            if (length <= maxFrameSize()) {
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

    /**
     * A header block larger than one frame: HEADERS then CONTINUATION frames in one buffer
     * (RFC 9113 §6.10: nothing may come between them, which one buffer also guarantees).
     */
    private ByteBuf withContinuations(ChannelHandlerContext ctx, ByteBuf block, int flags, int streamId) {
        int max = maxFrameSize();
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
