package dev.lbchannel.transport;

import dev.lbchannel.channelz.SocketAddresses;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP/2 connection (h2c with prior knowledge, or TLS with ALPN h2) to one address. The public
 * methods run on any thread and only hand commands to the connection's event loop through a
 * {@link WriteQueue}; connection state lives in {@link GrpcClientHandler} and in the loop-confined
 * fields here, which also make sure the {@link TransportListener} hears shutdown and termination
 * exactly once each.
 */
final class NettyClientTransport implements ClientTransport {

    private final NettyTransportFactory factory;
    private final TransportOptions options;
    private final SocketAddress address;
    private final String authority;
    private final AsciiString authorityHeader;
    private final AsciiString scheme;
    /** The context this connection was created with, or {@code null} for plaintext. */
    private final @Nullable SslContext sslContext;
    private final long connectTimeoutNanos;
    private final EventLoop eventLoop;
    private final TransportStats stats = new TransportStats();
    private final GrpcClientHandler handler;
    private final WriteQueue writeQueue;
    private volatile @Nullable Channel channel;
    /** Written on the event loop when the connection is ready, before the listener hears it. */
    private volatile Attributes attributes = Attributes.EMPTY;
    private volatile AuthorityVerifier authorities = AuthorityVerifier.PLAINTEXT;
    /** Written on the event loop the moment the transport stops taking streams; read by pickers. */
    private volatile boolean shuttingDown;
    private @Nullable SSLSession tlsSession;

    // Event-loop confined (written before the loop first sees them, then only there).
    private @Nullable TransportListener listener;
    private @Nullable Status shutdownStatus;
    private @Nullable Status closeCause;
    /** Whether the server sent anything; only tracked on plaintext connections, where silence says "TLS". */
    private boolean peerAnswered;
    private @Nullable ScheduledFuture<?> connectTimeout;
    private @Nullable ChannelFuture connectFuture;
    private boolean ready;
    private boolean terminated;

    NettyClientTransport(NettyTransportFactory factory, SocketAddress address, String authority,
            long connectTimeoutNanos, long keepAliveTimeNanos) {
        this.factory = factory;
        this.options = factory.options();
        this.address = address;
        this.authority = authority;
        this.authorityHeader = AsciiString.of(authority);
        this.sslContext = factory.sslContext();
        this.scheme = sslContext == null ? RequestHeaders.HTTP : RequestHeaders.HTTPS;
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.eventLoop = options.eventLoopGroup().next();
        this.handler = new GrpcClientHandler(this, options, keepAliveTimeNanos, stats);
        this.writeQueue = new WriteQueue(eventLoop, handler::flushBatch, handler::isReading);
    }

    @Override
    public void start(TransportListener listener) {
        requireNonNull(listener, "listener");
        if (this.listener != null) {
            throw new IllegalStateException("start() was called already");
        }
        this.listener = listener;
        // The socket is made, configured and connected on the event loop, not on the caller's
        // thread (an application's, on a channel's first call): the caller goes on preparing its
        // call meanwhile, and a fresh process loads the transport's classes on two cores at once.
        // Commands queued after this (shutdown) run after it on the same loop.
        eventLoop.execute(this::connect);
    }

    /** Creates the socket and connects it; on the event loop, once, before any queued command. */
    private void connect() {
        try {
            connectChannel();
        } catch (RuntimeException | LinkageError e) {
            // Netty turns its own failures into a failed connect; anything else must still end the transport.
            recordConnectFailure(e);
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            onChannelClosed();
        }
    }

    private void connectChannel() {
        Bootstrap bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(options.io().channelTypeFor(address, options.channelType()))
                .resolver(factory.addressResolver(address))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos))))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslContext ssl = sslContext;
                        if (ssl == null) {
                            ch.pipeline().addLast(new PlaintextPeerCheck(NettyClientTransport.this), handler);
                        } else {
                            ch.pipeline().addLast(newSslHandler(ssl, ch));
                            ch.pipeline().addLast(new TlsHandshakeHandler(NettyClientTransport.this, handler));
                        }
                    }
                });
        ChannelFuture connect = bootstrap.connect(options.io().connectAddress(address));
        connectFuture = connect;
        Channel ch = connect.channel();
        channel = ch;
        // Cancelled when READY, or by the close listener below, which runs at once after a connect that failed at once.
        connectTimeout = eventLoop.schedule(this::onConnectTimeout, connectTimeoutNanos, TimeUnit.NANOSECONDS);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                stats.localAddress(ch.localAddress());
            } else {
                recordConnectFailure(f.cause());
            }
        });
        ch.closeFuture().addListener(f -> onChannelClosed());
    }

    @Override
    public ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions,
            long deadlineNanos) {
        requireNonNull(method, "method");
        requireNonNull(headers, "headers");
        requireNonNull(callOptions, "callOptions");
        String callAuthority = callOptions.getAuthority();
        Http2Headers requestHeaders = RequestHeaders.create(scheme, factory.path(method),
                callAuthority == null ? authorityHeader : AsciiString.of(callAuthority),
                factory.userAgent(), callOptions.getCompressor(), factory.acceptEncoding(), deadlineNanos, headers);
        Integer maxInbound = callOptions.getMaxInboundMessageSize();
        StreamTracers tracers = StreamTracers.of(callOptions);
        if (tracers != null) {
            tracers.streamCreated(attributes, headers);
        }
        return new NettyClientStream(handler, writeQueue, requestHeaders, method.getType().clientSendsOneMessage(),
                maxInbound != null ? maxInbound : options.maxInboundMessageSize(), options.decompressorRegistry(),
                callOptions.getOnReadyThreshold(), tracers);
    }

    @Override
    public @Nullable Status verifyAuthority(String callAuthority) {
        return authorities.verify(callAuthority);
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public boolean isShutdown() {
        return shuttingDown;
    }

    @Override
    public void shutdown(Status reason) {
        requireNonNull(reason, "reason");
        writeQueue.enqueueAndFlush(() -> handler.shutdown(reason));
    }

    @Override
    public void shutdownNow(Status reason) {
        requireNonNull(reason, "reason");
        writeQueue.enqueueAndFlush(() -> handler.shutdownNow(reason));
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    @Override
    public @Nullable SocketStats stats() {
        return channel == null ? null : stats.snapshot(address);
    }

    /** The event loop this transport's connection lives on. */
    EventLoop eventLoop() {
        return eventLoop;
    }

    @Override
    public String toString() {
        return "NettyClientTransport{" + SocketAddresses.text(address) + ", authority=" + authority + "}";
    }

    // ---- Event loop: called by the handlers ----

    /** The server's first SETTINGS arrived on {@code ch}, this transport's channel as its handler sees it. */
    void onReady(@Nullable Channel ch) {
        ready = true;
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null; // a READY connection keeps no cancelled timer (64 bytes)
        }
        attributes = TransportAttributes.of(ch == null ? address : ch.remoteAddress(),
                ch == null ? null : ch.localAddress(), tlsSession);
        if (shutdownStatus == null && listener != null) {
            listener.transportReady();
        }
    }

    void inUse(boolean inUse) {
        if (listener != null && !terminated) {
            listener.transportInUse(inUse);
        }
    }

    void tooManyPings() {
        factory.tooManyPings();
    }

    private void recordConnectFailure(Throwable cause) {
        recordCloseCause(Status.UNAVAILABLE.withDescription("Failed to connect to " + SocketAddresses.text(address)
                + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()))
                .withCause(cause));
    }

    /** Remembers why the connection is ending; the first cause wins. */
    void recordCloseCause(Status status) {
        if (closeCause == null) {
            closeCause = status;
        }
    }

    /** The server's first bytes arrived on this connection. */
    void peerAnswered() {
        peerAnswered = true;
    }

    /** The status streams fail with when the connection closes under them. */
    Status closeStatus() {
        if (closeCause != null) {
            return closeCause;
        }
        if (!peerAnswered && scheme == RequestHeaders.HTTP && shutdownStatus == null) {
            return PlaintextPeerCheck.closedUnanswered(this);
        }
        if (!peerAnswered && tlsSession != null && shutdownStatus == null) {
            // A TLS 1.3 server checks the client's certificate after the client's side of the
            // handshake is done; refusing it, it closes before its first HTTP/2 frame.
            return Status.UNAVAILABLE.withDescription("Connection to " + SocketAddresses.text(address) + " was closed by"
                    + " the server after the TLS handshake, before its first HTTP/2 frame; a server that requires a"
                    + " client certificate (mutual TLS) does this when the channel presents none or one it does not"
                    + " trust: give the channel a key and certificate (the SSL bundle's keystore, or keyManager(...)"
                    + " of the SslContext)");
        }
        return Status.UNAVAILABLE.withDescription(shutdownStatus == null
                ? "Connection to " + SocketAddresses.text(address) + " closed"
                : "Connection to " + SocketAddresses.text(address) + " closed after shutdown");
    }

    /** The TLS handshake succeeded with {@code session}; before {@link #onReady(Channel)}. */
    void tlsEstablished(SSLSession session) {
        tlsSession = session;
        stats.tls(TlsSession.of(session));
        authorities = AuthorityVerifier.forTls(authority, TlsSession.peerCertificate(session));
    }

    void notifyShutdown(Status reason) {
        shuttingDown = true;
        if (shutdownStatus == null) {
            shutdownStatus = reason;
            if (listener != null) {
                listener.transportShutdown(reason);
            }
        }
    }

    void closeChannel() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        } else {
            onChannelClosed();
        }
    }

    private void onConnectTimeout() {
        if (!ready) {
            recordCloseCause(Status.UNAVAILABLE.withDescription("Connection to " + SocketAddresses.text(address) + " was not ready within "
                    + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms"));
            closeChannel();
        }
    }

    private void onChannelClosed() {
        if (terminated) {
            return;
        }
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        // The connect promise fails before the channel closes, but its listener may run after this
        // one (Netty may notify them from different points); the failure must not be lost.
        ChannelFuture connect = connectFuture;
        if (connect != null && connect.isDone() && connect.cause() != null) {
            recordConnectFailure(connect.cause());
        }
        Status status = closeStatus();
        handler.connectionClosed(status);
        notifyShutdown(status);
        terminated = true;
        if (listener != null) {
            listener.transportTerminated();
        }
    }

    private SslHandler newSslHandler(SslContext context, Channel ch) {
        String host = hostOf(authority);
        int port = address instanceof InetSocketAddress inet ? inet.getPort() : -1;
        SslHandler ssl = context.newHandler(ch.alloc(), host, port);
        SSLEngine engine = ssl.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(parameters);
        return ssl;
    }

    /** The host part of an authority: {@code host}, {@code host:port} or {@code [v6]:port}. */
    static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end > 0 ? authority.substring(1, end) : authority;
        }
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.indexOf(':') == colon ? authority.substring(0, colon) : authority;
    }
}
