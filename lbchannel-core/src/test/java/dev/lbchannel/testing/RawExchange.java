package dev.lbchannel.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Stream;

import java.nio.charset.StandardCharsets;

/** One request and the means to answer it. Event-loop confined. */
public final class RawExchange {
    private final ChannelHandlerContext ctx;
    private final Http2ConnectionHandler handler;
    private final int streamId;
    private final Http2Headers requestHeaders;
    private final int index;

    RawExchange(ChannelHandlerContext ctx, Http2ConnectionHandler handler, int streamId,
            Http2Headers requestHeaders, int index) {
        this.ctx = ctx;
        this.handler = handler;
        this.streamId = streamId;
        this.requestHeaders = requestHeaders;
        this.index = index;
    }

    public int streamId() {
        return streamId;
    }

    public Http2Headers requestHeaders() {
        return requestHeaders;
    }

    /** 0 for the first request on this connection, 1 for the second, and so on. */
    public int index() {
        return index;
    }

    public RawExchange headers(Http2Headers headers, boolean endStream) {
        return headers(streamId, headers, endStream);
    }

    public RawExchange headers(int stream, Http2Headers headers, boolean endStream) {
        handler.encoder().writeHeaders(ctx, stream, headers, 0, endStream, ctx.newPromise());
        return this;
    }

    public RawExchange data(byte[] bytes, boolean endStream) {
        return data(streamId, bytes, endStream);
    }

    public RawExchange data(int stream, byte[] bytes, boolean endStream) {
        handler.encoder().writeData(ctx, stream, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx.newPromise());
        return this;
    }

    /** A complete OK response carrying {@code message}. */
    public RawExchange okResponse(int stream, byte[] message) {
        headers(stream, RawHttp2Server.grpcHeaders(), false);
        data(stream, RawHttp2Server.frame(false, message), false);
        return headers(stream, RawHttp2Server.grpcTrailers(0), true);
    }

    /**
     * Writes {@code bytes} to the connection as they are, past the HTTP/2 encoder: frames no
     * well-behaved encoder would write (invalid SETTINGS, frames on a closed stream).
     */
    public RawExchange raw(byte[] bytes) {
        handler.flush(ctx); // what the encoder holds goes first, so frames keep the script's order
        ctx.write(Unpooled.wrappedBuffer(bytes), ctx.newPromise());
        return this;
    }

    /** An HTTP/2 frame header and payload, as bytes, for {@link #raw(byte[])}. */
    public static byte[] rawFrame(int type, int flags, int stream, byte[] payload) {
        byte[] out = new byte[9 + payload.length];
        out[0] = (byte) (payload.length >>> 16);
        out[1] = (byte) (payload.length >>> 8);
        out[2] = (byte) payload.length;
        out[3] = (byte) type;
        out[4] = (byte) flags;
        out[5] = (byte) (stream >>> 24);
        out[6] = (byte) (stream >>> 16);
        out[7] = (byte) (stream >>> 8);
        out[8] = (byte) stream;
        System.arraycopy(payload, 0, out, 9, payload.length);
        return out;
    }

    public RawExchange rst(Http2Error error) {
        return rst(error.code());
    }

    /** RST_STREAM with any code, also one HTTP/2 does not define. */
    public RawExchange rst(long errorCode) {
        handler.resetStream(ctx, streamId, errorCode, ctx.newPromise());
        return this;
    }

    /** Closes the TCP connection at once, without GOAWAY. */
    public RawExchange closeConnection() {
        handler.flush(ctx);
        ctx.close(); // from the handler's context: skips its graceful GOAWAY-and-wait close
        return this;
    }

    public RawExchange goAway(int lastStreamId, Http2Error error, String debugData) {
        handler.goAway(ctx, lastStreamId, error.code(),
                Unpooled.copiedBuffer(debugData, StandardCharsets.UTF_8), ctx.newPromise());
        return this;
    }

    /**
     * Runs {@code step} on the server's event loop, then flushes: a script's step taken later,
     * from any thread (a test's), once the client has done something first.
     */
    public void later(java.util.function.Consumer<RawExchange> step) {
        ctx.executor().execute(() -> {
            step.accept(this);
            handler.flush(ctx);
        });
    }

    /**
     * Lets the client send {@code bytes} more on this stream and on the connection
     * (WINDOW_UPDATE for both). Unlike the other methods, callable from any thread: it hops
     * to the server's event loop and flushes.
     */
    public void openWindow(int bytes) {
        ctx.executor().execute(() -> {
            Http2LocalFlowController flow = handler.decoder().flowController();
            Http2Stream stream = handler.connection().stream(streamId);
            try {
                if (stream != null) {
                    flow.incrementWindowSize(stream, bytes);
                }
                flow.incrementWindowSize(handler.connection().connectionStream(), bytes);
            } catch (Http2Exception e) {
                throw new IllegalStateException(e);
            }
            handler.flush(ctx);
        });
    }
}
