package dev.lbchannel.transport;

import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Everything a {@link ClientTransportFactory} needs to open connections, fixed when the channel
 * is built. Immutable; build with {@link #builder(EventLoopGroup, Class)}.
 */
public final class TransportOptions {

    /** gRPC's default limit for a received message. */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;
    /** gRPC's default limit for received header and trailer lists. */
    public static final int DEFAULT_MAX_INBOUND_METADATA_SIZE = 8 * 1024;
    /** The per-stream and connection receive window announced to servers. */
    public static final int DEFAULT_FLOW_CONTROL_WINDOW = 1024 * 1024;
    /** Keepalive pings are never sent more often than this (gRFC A8). */
    public static final long MIN_KEEPALIVE_TIME_NANOS = TimeUnit.SECONDS.toNanos(10);
    public static final long KEEPALIVE_DISABLED = Long.MAX_VALUE;

    private final EventLoopGroup eventLoopGroup;
    private final Class<? extends Channel> channelType;
    private final IoTransport io;
    private final @Nullable SslContext sslContext;
    private final @Nullable String userAgent;
    private final int maxInboundMessageSize;
    private final int maxInboundMetadataSize;
    private final int flowControlWindow;
    private final long keepAliveTimeNanos;
    private final long keepAliveTimeoutNanos;
    private final boolean keepAliveWithoutCalls;
    private final CompressorRegistry compressorRegistry;
    private final DecompressorRegistry decompressorRegistry;
    private final @Nullable Executor offloadExecutor;

    private TransportOptions(Builder b) {
        this.eventLoopGroup = b.eventLoopGroup;
        this.channelType = b.channelType;
        this.io = IoTransport.forLoops(b.eventLoopGroup);
        this.sslContext = b.sslContext;
        this.userAgent = b.userAgent;
        this.maxInboundMessageSize = b.maxInboundMessageSize;
        this.maxInboundMetadataSize = b.maxInboundMetadataSize;
        this.flowControlWindow = b.flowControlWindow;
        this.keepAliveTimeNanos = b.keepAliveTimeNanos;
        this.keepAliveTimeoutNanos = b.keepAliveTimeoutNanos;
        this.keepAliveWithoutCalls = b.keepAliveWithoutCalls;
        this.compressorRegistry = b.compressorRegistry;
        this.decompressorRegistry = b.decompressorRegistry;
        this.offloadExecutor = b.offloadExecutor;
    }

    public static Builder builder(EventLoopGroup eventLoopGroup, Class<? extends Channel> channelType) {
        return new Builder(eventLoopGroup, channelType);
    }

    public EventLoopGroup eventLoopGroup() {
        return eventLoopGroup;
    }

    /** The channel type of TCP connections. */
    public Class<? extends Channel> channelType() {
        return channelType;
    }

    /** The I/O transport of the event loops, which picks the channel types of Unix sockets and DNS. */
    public IoTransport io() {
        return io;
    }

    /**
     * The TLS context (ALPN h2) connections start with, or {@code null} for plaintext h2c with
     * prior knowledge; see {@link ClientTransportFactory#updateSslContext}.
     */
    public @Nullable SslContext sslContext() {
        return sslContext;
    }

    public @Nullable String userAgent() {
        return userAgent;
    }

    public int maxInboundMessageSize() {
        return maxInboundMessageSize;
    }

    public int maxInboundMetadataSize() {
        return maxInboundMetadataSize;
    }

    public int flowControlWindow() {
        return flowControlWindow;
    }

    /** Nanoseconds between keepalive pings, or {@link #KEEPALIVE_DISABLED}. */
    public long keepAliveTimeNanos() {
        return keepAliveTimeNanos;
    }

    public long keepAliveTimeoutNanos() {
        return keepAliveTimeoutNanos;
    }

    public boolean keepAliveWithoutCalls() {
        return keepAliveWithoutCalls;
    }

    public CompressorRegistry compressorRegistry() {
        return compressorRegistry;
    }

    public DecompressorRegistry decompressorRegistry() {
        return decompressorRegistry;
    }

    /**
     * Where host names of unresolved addresses are looked up when connecting, or {@code null}:
     * then Netty's default resolver looks them up, blocking the event loop.
     */
    public @Nullable Executor offloadExecutor() {
        return offloadExecutor;
    }

    /** Collects options; unset ones take gRPC's defaults. */
    public static final class Builder {
        private final EventLoopGroup eventLoopGroup;
        private final Class<? extends Channel> channelType;
        private @Nullable SslContext sslContext;
        private @Nullable String userAgent;
        private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
        private int maxInboundMetadataSize = DEFAULT_MAX_INBOUND_METADATA_SIZE;
        private int flowControlWindow = DEFAULT_FLOW_CONTROL_WINDOW;
        private long keepAliveTimeNanos = KEEPALIVE_DISABLED;
        private long keepAliveTimeoutNanos = TimeUnit.SECONDS.toNanos(20);
        private boolean keepAliveWithoutCalls;
        private CompressorRegistry compressorRegistry = CompressorRegistry.getDefaultInstance();
        private DecompressorRegistry decompressorRegistry = DecompressorRegistry.getDefaultInstance();
        private @Nullable Executor offloadExecutor;

        private Builder(EventLoopGroup eventLoopGroup, Class<? extends Channel> channelType) {
            this.eventLoopGroup = requireNonNull(eventLoopGroup, "eventLoopGroup");
            this.channelType = requireNonNull(channelType, "channelType");
        }

        public Builder sslContext(@Nullable SslContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder userAgent(@Nullable String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder maxInboundMessageSize(int bytes) {
            this.maxInboundMessageSize = positive(bytes, "maxInboundMessageSize");
            return this;
        }

        public Builder maxInboundMetadataSize(int bytes) {
            this.maxInboundMetadataSize = positive(bytes, "maxInboundMetadataSize");
            return this;
        }

        public Builder flowControlWindow(int bytes) {
            this.flowControlWindow = positive(bytes, "flowControlWindow");
            return this;
        }

        /** Enables keepalive pings; times below {@link #MIN_KEEPALIVE_TIME_NANOS} are raised to it. */
        public Builder keepAlive(long timeNanos, long timeoutNanos, boolean withoutCalls) {
            this.keepAliveTimeNanos = timeNanos == KEEPALIVE_DISABLED
                    ? KEEPALIVE_DISABLED : Math.max(timeNanos, MIN_KEEPALIVE_TIME_NANOS);
            this.keepAliveTimeoutNanos = positive(timeoutNanos, "keepAliveTimeout");
            this.keepAliveWithoutCalls = withoutCalls;
            return this;
        }

        public Builder compressorRegistry(CompressorRegistry registry) {
            this.compressorRegistry = requireNonNull(registry, "compressorRegistry");
            return this;
        }

        public Builder decompressorRegistry(DecompressorRegistry registry) {
            this.decompressorRegistry = requireNonNull(registry, "decompressorRegistry");
            return this;
        }

        /**
         * Look up the host names of unresolved addresses (a {@code passthrough} target's) on this
         * executor, as the system lookup blocks; the event loop only hears the result.
         */
        public Builder offloadExecutor(Executor executor) {
            this.offloadExecutor = requireNonNull(executor, "offloadExecutor");
            return this;
        }

        public TransportOptions build() {
            return new TransportOptions(this);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
