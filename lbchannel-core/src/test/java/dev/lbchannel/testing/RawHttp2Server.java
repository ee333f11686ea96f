package dev.lbchannel.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/2 server (h2c, prior knowledge) that answers each request with whatever frames a
 * test {@link Script} writes, well-formed gRPC or not. Used to prove how the client treats
 * malformed responses and what exactly it puts on the wire. The script runs on the server's event
 * loop when a request's HEADERS arrive (or, if asked, its END_STREAM); everything it writes is
 * flushed when it returns. Request
 * DATA is read, recorded as {@link DataFrame}s (sizes and flags, not bytes) and discarded; PINGs
 * are counted.
 *
 * <p>{@link #builder()} makes a misbehaving or stingy server: one that never ACKs PINGs, or that
 * announces a small stream window and opens it only when a test says so
 * ({@link RawExchange#openWindow(int)}).
 */
public final class RawHttp2Server implements AutoCloseable {

    /** Answers one request. */
    @FunctionalInterface
    public interface Script {
        void onRequest(RawExchange exchange) throws Exception;
    }

    /** One DATA frame the server received. */
    public record DataFrame(int streamId, int bytes, boolean endOfStream) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    /** The accepted connections still open; closed by {@link #close()} before the loop stops. */
    private final ChannelGroup accepted = new DefaultChannelGroup(group.next());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<DataFrame> dataFrames = new CopyOnWriteArrayList<>();
    private final List<Integer> resetStreams = new CopyOnWriteArrayList<>();
    private final List<Integer> requestStreams = new CopyOnWriteArrayList<>();
    private final Channel serverChannel;

    private RawHttp2Server(Builder builder, Script script) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap();
        if (builder.receiveBuffer > 0) {
            // On the listening socket, so that accepted ones have it before the handshake: a fixed
            // receive buffer turns the kernel's autotuning (up to tcp_rmem's maximum) off.
            bootstrap.option(ChannelOption.SO_RCVBUF, builder.receiveBuffer);
        }
        serverChannel = bootstrap
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        accepted.add(ch);
                        ScriptListener listener = new ScriptListener(script, builder.answerAtEnd, builder.keepsWindow, builder.endScript);
                        Http2Settings settings = Http2Settings.defaultSettings();
                        if (builder.maxHeaderListSize >= 0) {
                            settings.maxHeaderListSize(builder.maxHeaderListSize);
                        }
                        if (builder.initialWindowSize >= 0) {
                            settings.initialWindowSize(builder.initialWindowSize);
                        }
                        Http2ConnectionHandler handler = new HandlerBuilder(settings, builder.autoAckPings, listener)
                                .create();
                        listener.handler = handler;
                        ch.pipeline().addLast(handler);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** A well-behaved server running {@code script}. */
    public static RawHttp2Server start(Script script) {
        return builder().start(script);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How the server deviates from a well-behaved one. */
    public static final class Builder {
        private boolean autoAckPings = true;
        private int initialWindowSize = -1;
        private long maxHeaderListSize = -1;
        private int receiveBuffer = -1;
        private boolean answerAtEnd;
        private boolean keepsWindow;
        private @Nullable Script endScript;

        private Builder() {
        }

        /**
         * Runs {@code end} too, once the request's END_STREAM arrives, after the main script ran
         * at its HEADERS: a server that answers early and finishes when the request has ended.
         */
        public Builder thenAtEndOfRequest(Script end) {
            this.endScript = end;
            return this;
        }

        /** {@code false}: the server never answers a PING, as if the connection were dead. */
        public Builder autoAckPings(boolean autoAckPings) {
            this.autoAckPings = autoAckPings;
            return this;
        }

        /** The SETTINGS_INITIAL_WINDOW_SIZE the server announces: how much a client may send per stream. */
        public Builder initialWindowSize(int bytes) {
            this.initialWindowSize = bytes;
            return this;
        }

        /**
         * The server never gives received DATA back to its flow-control windows: a client may send
         * only what the initial window and {@link RawExchange#openWindow} allow, and no more.
         */
        /** A socket receive buffer of this size, fixed: how much the kernel holds for a slow reader. */
        public Builder receiveBuffer(int bytes) {
            this.receiveBuffer = bytes;
            return this;
        }

        public Builder keepsWindow() {
            this.keepsWindow = true;
            return this;
        }

        /** The SETTINGS_MAX_HEADER_LIST_SIZE the server announces: how large a client's HEADERS may be. */
        public Builder maxHeaderListSize(long bytes) {
            this.maxHeaderListSize = bytes;
            return this;
        }

        /** Runs the script once the request's END_STREAM arrives rather than at its HEADERS. */
        public Builder answerAtEndOfRequest() {
            this.answerAtEnd = true;
            return this;
        }

        public RawHttp2Server start(Script script) {
            try {
                return new RawHttp2Server(this, script);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Requests seen so far, over all connections. */
    public int requests() {
        return requests.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** PINGs received so far (not ACKs), over all connections. */
    public int pings() {
        return pings.get();
    }

    /** The DATA frames received so far, over all connections, in order. */
    public List<DataFrame> dataFrames() {
        return List.copyOf(dataFrames);
    }

    /** The streams the client reset (RST_STREAM), in order. */
    public List<Integer> resetStreams() {
        return resetStreams;
    }

    /** The streams requests arrived on, in order, over all connections. */
    public List<Integer> requestStreams() {
        return List.copyOf(requestStreams);
    }

    /** The payload bytes received in DATA frames on {@code streamId}, over all connections. */
    public long dataBytes(int streamId) {
        return dataFrames.stream().filter(f -> f.streamId() == streamId).mapToLong(DataFrame::bytes).sum();
    }

    /**
     * Stops listening, closes the connections still open, then stops the loop. The connections are
     * closed here rather than left to the loop's shutdown: with no quiet period, a shutdown that
     * lands while the loop runs its tasks can end the loop without closing its channels, and a
     * connection's unread bytes (the HTTP/2 decoder's partial frame) would then leak.
     */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        accepted.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Response headers of a well-formed gRPC response. */
    public static Http2Headers grpcHeaders() {
        return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
    }

    /** Trailers with {@code grpc-status}. */
    public static Http2Headers grpcTrailers(int code) {
        return new DefaultHttp2Headers().add("grpc-status", Integer.toString(code));
    }

    /** One length-prefixed message, as bytes. */
    public static byte[] frame(boolean compressedFlag, byte[] message) {
        byte[] out = new byte[5 + message.length];
        out[0] = (byte) (compressedFlag ? 1 : 0);
        out[1] = (byte) (message.length >>> 24);
        out[2] = (byte) (message.length >>> 16);
        out[3] = (byte) (message.length >>> 8);
        out[4] = (byte) message.length;
        System.arraycopy(message, 0, out, 5, message.length);
        return out;
    }

    /** Netty's server handler builder, with its protected switch for PING auto-ACK within reach. */
    private static final class HandlerBuilder
            extends AbstractHttp2ConnectionHandlerBuilder<Http2ConnectionHandler, HandlerBuilder> {

        HandlerBuilder(Http2Settings settings, boolean autoAckPings, Http2FrameListener listener) {
            server(true);
            initialSettings(settings);
            autoAckPingFrame(autoAckPings);
            frameListener(listener);
        }

        Http2ConnectionHandler create() {
            return build();
        }

        @Override
        protected Http2ConnectionHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings initialSettings) {
            return new Http2ConnectionHandler(decoder, encoder, initialSettings) {
            };
        }
    }

    private final class ScriptListener extends Http2EventAdapter {
        private final Script script;
        private final boolean answerAtEnd;
        private final boolean keepsWindow;
        /** Requests whose script waits for the request's END_STREAM. */
        private final Map<Integer, Http2Headers> awaitingEnd = new HashMap<>();
        private final @Nullable Script endScript;
        /** Requests whose end script waits for the request's END_STREAM. */
        private final Map<Integer, Http2Headers> awaitingEndScript = new HashMap<>();
        private Http2ConnectionHandler handler;
        private int count;

        ScriptListener(Script script, boolean answerAtEnd, boolean keepsWindow, @Nullable Script endScript) {
            this.script = script;
            this.answerAtEnd = answerAtEnd;
            this.keepsWindow = keepsWindow;
            this.endScript = endScript;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) {
            if (headers.method() == null || !AsciiString.contentEquals(headers.method(), "POST")) {
                return; // trailers of a request, not a new one
            }
            requests.incrementAndGet();
            requestStreams.add(streamId);
            if (answerAtEnd && !endOfStream) {
                awaitingEnd.put(streamId, headers);
            } else {
                run(ctx, streamId, headers);
            }
            if (endScript != null) {
                if (endOfStream) {
                    run(endScript, ctx, streamId, headers);
                } else {
                    awaitingEndScript.put(streamId, headers);
                }
            }
        }

        private void run(ChannelHandlerContext ctx, int streamId, Http2Headers headers) {
            run(script, ctx, streamId, headers);
        }

        private void run(Script toRun, ChannelHandlerContext ctx, int streamId, Http2Headers headers) {
            try {
                toRun.onRequest(new RawExchange(ctx, handler, streamId, headers, count++));
            } catch (Exception e) {
                handler.resetStream(ctx, streamId, Http2Error.INTERNAL_ERROR.code(), ctx.newPromise());
            }
            handler.flush(ctx);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            dataFrames.add(new DataFrame(streamId, data.readableBytes(), endOfStream));
            int consumed = keepsWindow ? 0 : data.readableBytes() + padding;
            Http2Headers waiting = endOfStream ? awaitingEnd.remove(streamId) : null;
            if (waiting != null) {
                run(ctx, streamId, waiting);
            }
            Http2Headers ending = endOfStream && endScript != null ? awaitingEndScript.remove(streamId) : null;
            if (ending != null) {
                run(endScript, ctx, streamId, ending);
            }
            return consumed;
        }

        @Override
        public void onPingRead(ChannelHandlerContext ctx, long data) {
            pings.incrementAndGet();
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            resetStreams.add(streamId);
        }
    }
}
