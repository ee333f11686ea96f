package dev.lbchannel.transport;

import io.grpc.MethodDescriptor;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Opens {@link NettyClientTransport}s with one channel's {@link TransportOptions}, and keeps what
 * its transports share: the request header constants (user agent, accepted encodings), a cache of
 * {@code :path} values by method, the keepalive time, which doubles each time a server answers
 * GOAWAY {@code too_many_pings} (gRFC A8), the TLS context new connections use (it may be
 * rotated), and the resolver that looks host names up on the offload executor. Thread-safe.
 */
final class NettyTransportFactory implements ClientTransportFactory {

    /** The implementation name and version sent in {@code user-agent}. */
    static final String USER_AGENT = "lbchannel-java/0.1.0";
    private static final int MAX_CACHED_PATHS = 4096;

    private final TransportOptions options;
    private final AtomicLong keepAliveTimeNanos;
    private final ConcurrentHashMap<String, AsciiString> paths = new ConcurrentHashMap<>();
    private final AsciiString userAgent;
    private final @Nullable AsciiString acceptEncoding;
    private final @Nullable Executor offload;
    /**
     * Created with the first unresolved address: Netty's group allocates two maps (some 600 bytes)
     * that a channel whose addresses arrive resolved, the common case, never needs (issue 18).
     */
    private volatile @Nullable OffloadAddressResolverGroup addressResolver;
    /** Read once by each new transport, so a connection keeps the context it was opened with. */
    private volatile @Nullable SslContext sslContext;

    NettyTransportFactory(TransportOptions options) {
        this.options = requireNonNull(options, "options");
        this.keepAliveTimeNanos = new AtomicLong(options.keepAliveTimeNanos());
        this.sslContext = options.sslContext();
        String custom = options.userAgent();
        this.userAgent = AsciiString.of(custom == null || custom.isEmpty() ? USER_AGENT : custom + " " + USER_AGENT);
        Set<String> encodings = options.decompressorRegistry().getAdvertisedMessageEncodings();
        this.acceptEncoding = encodings.isEmpty() ? null : AsciiString.of(String.join(",", encodings));
        this.offload = options.offloadExecutor();
    }

    @Override
    public ClientTransport newTransport(SocketAddress address, String authority, long connectTimeoutNanos) {
        requireNonNull(address, "address");
        requireNonNull(authority, "authority");
        if (connectTimeoutNanos <= 0) {
            throw new IllegalArgumentException("connectTimeoutNanos must be positive, was " + connectTimeoutNanos);
        }
        return new NettyClientTransport(this, address, authority, connectTimeoutNanos, keepAliveTimeNanos.get());
    }

    @Override
    public TransportOptions options() {
        return options;
    }

    @Override
    public void updateSslContext(SslContext newContext) {
        requireNonNull(newContext, "sslContext");
        if (!newContext.isClient()) {
            throw new IllegalArgumentException("The TLS context must be a client context");
        }
        if (sslContext == null) {
            throw new IllegalStateException("The channel uses plaintext; a TLS context cannot be applied to it");
        }
        sslContext = newContext;
    }

    /** The TLS context for a new transport, or {@code null} for plaintext. */
    @Nullable SslContext sslContext() {
        return sslContext;
    }

    /** The keepalive time new transports get; grows after {@code too_many_pings}. */
    long keepAliveTimeNanos() {
        return keepAliveTimeNanos.get();
    }

    /** A server said we ping too often: transports created from now on ping half as often. */
    void tooManyPings() {
        keepAliveTimeNanos.updateAndGet(t -> t >= TransportOptions.KEEPALIVE_DISABLED / 2
                ? TransportOptions.KEEPALIVE_DISABLED : t * 2);
    }

    /**
     * Looks up {@code remote} off the loop when it is unresolved; {@code null} leaves it to Netty's
     * default, which connects a resolved address directly (and, without an offload executor,
     * looks an unresolved one up itself).
     */
    @Nullable OffloadAddressResolverGroup addressResolver(SocketAddress remote) {
        if (offload == null || !(remote instanceof InetSocketAddress inet) || !inet.isUnresolved()) {
            return null;
        }
        OffloadAddressResolverGroup group = addressResolver;
        if (group == null) {
            // Two racing connects may each build one; they are interchangeable, and one is kept.
            group = new OffloadAddressResolverGroup(offload);
            addressResolver = group;
        }
        return group;
    }

    AsciiString userAgent() {
        return userAgent;
    }

    @Nullable AsciiString acceptEncoding() {
        return acceptEncoding;
    }

    /** {@code /<fullMethodName>}, computed once per method name (up to a bound, then per call). */
    AsciiString path(MethodDescriptor<?, ?> method) {
        String name = method.getFullMethodName();
        AsciiString path = paths.get(name);
        if (path == null) {
            path = AsciiString.of("/" + name);
            if (paths.size() < MAX_CACHED_PATHS) {
                paths.putIfAbsent(name, path);
            }
        }
        return path;
    }
}
