package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameReader;

/**
 * A captured stream laid out in pooled direct buffers (as socket reads arrive) and fed to a frame
 * reader the way Netty's {@code ByteToMessageDecoder} feeds {@code GrpcClientHandler}: a
 * read is handed over as it is while nothing is left over, and appended to the cumulation while
 * a frame is incomplete. Replaying allocates nothing itself: the buffers are reset, not copied
 * out, and the cumulation is sized for the whole stream up front.
 */
final class ReplayFeed implements AutoCloseable {

    private final ByteBuf[] chunks;
    private final ByteBuf whole;
    private final ByteBuf cumulation;

    ReplayFeed(CapturedStream stream, ByteBufAllocator alloc) {
        chunks = new ByteBuf[stream.chunks().size()];
        for (int i = 0; i < chunks.length; i++) {
            byte[] chunk = stream.chunks().get(i);
            chunks[i] = alloc.directBuffer(chunk.length).writeBytes(chunk);
        }
        byte[] all = stream.whole();
        whole = alloc.directBuffer(all.length).writeBytes(all);
        cumulation = alloc.directBuffer(all.length);
    }

    int chunkCount() {
        return chunks.length;
    }

    int size() {
        return whole.writerIndex();
    }

    /** Reads the stream in its captured pieces; the reader must be fresh (HPACK starts empty). */
    void readChunks(ChannelHandlerContext ctx, Http2FrameReader reader, Http2FrameListener listener)
            throws Http2Exception {
        cumulation.clear();
        for (ByteBuf chunk : chunks) {
            chunk.readerIndex(0);
            if (cumulation.isReadable()) {
                cumulation.writeBytes(chunk);
                reader.readFrame(ctx, cumulation, listener);
                if (!cumulation.isReadable()) {
                    cumulation.clear();
                }
            } else {
                reader.readFrame(ctx, chunk, listener);
                if (chunk.isReadable()) {
                    cumulation.clear().writeBytes(chunk);
                }
            }
        }
        requireAllRead(cumulation);
    }

    /** Reads the whole stream from one buffer; the reader must be fresh. */
    void readWhole(ChannelHandlerContext ctx, Http2FrameReader reader, Http2FrameListener listener)
            throws Http2Exception {
        whole.readerIndex(0);
        reader.readFrame(ctx, whole, listener);
        requireAllRead(whole);
    }

    private static void requireAllRead(ByteBuf left) {
        if (left.isReadable()) {
            throw new IllegalStateException(left.readableBytes() + " bytes left unread: the capture ends mid-frame");
        }
    }

    @Override
    public void close() {
        for (ByteBuf chunk : chunks) {
            chunk.release();
        }
        whole.release();
        cumulation.release();
    }
}
