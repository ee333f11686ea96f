package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2FrameWriter;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Writes a DATA frame straight to the connection when Netty's flow controller would have written
 * it unchanged at the next flush: it fits one frame, nothing of the stream is queued before it,
 * both send windows hold it, and the channel is writable. The controller would wrap the frame in
 * a queue entry, a buffer queue, a promise notifier and a second promise, and run its byte
 * distributor over it; a unary request paid all of that for its one DATA frame (issue 18).
 *
 * <p>It keeps the controller's books as the controller does: the frame's bytes come off the
 * stream's and the connection's windows through the controller's own accounting, and a frame
 * that ends the stream closes its local side at once. A failed write fails the stream through the
 * promise's listener, which the stream already has; unlike the controller it adds no listener of
 * its own to make the failure a connection error (a second listener costs two objects per frame):
 * a DATA frame can only fail to write when the channel is closed or its socket write failed, and
 * Netty then closes the channel (or its output) itself. Anything else (a queued stream, a window
 * too small, a frame too large for one) goes through the controller, which then sees the same
 * windows. Event-loop confined.
 */
final class DirectDataWriter {

    private final GrpcClientHandler handler;
    private final Http2FrameWriter frameWriter;
    private final Http2FrameSizePolicy frameSizePolicy;
    private final Http2RemoteFlowController flow;
    private final Http2Stream connectionStream;

    DirectDataWriter(GrpcClientHandler handler, Http2FrameWriter frameWriter) {
        this.handler = handler;
        this.frameWriter = frameWriter;
        this.frameSizePolicy = frameWriter.configuration().frameSizePolicy();
        this.flow = handler.connection().remote().flowController();
        this.connectionStream = handler.connection().connectionStream();
    }

    /**
     * Writes the frame and returns {@code true}, or returns {@code false} having done nothing, when
     * it must go through the flow controller.
     */
    boolean tryWrite(ChannelHandlerContext ctx, Http2Stream stream, ByteBuf data, boolean endStream,
            ChannelPromise promise) {
        int size = data.readableBytes();
        if (size > frameSizePolicy.maxFrameSize() || !ctx.channel().isWritable() || !isSendable(stream.state())
                || flow.hasFlowControlled(stream)
                || size > 0 && (flow.windowSize(stream) < size || flow.windowSize(connectionStream) < size)) {
            return false;
        }
        if (size > 0) {
            consume(stream, size);
            consume(connectionStream, size);
        }
        frameWriter.writeData(ctx, stream.id(), data, 0, endStream, promise);
        if (endStream) {
            handler.closeStreamLocal(stream, promise);
        }
        return true;
    }

    private void consume(Http2Stream stream, int bytes) {
        try {
            flow.incrementWindowSize(stream, -bytes);
        } catch (Http2Exception e) {
            throw new IllegalStateException("A window cannot overflow when it shrinks", e);
        }
    }

    private static boolean isSendable(Http2Stream.State state) {
        return state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE;
    }
}
