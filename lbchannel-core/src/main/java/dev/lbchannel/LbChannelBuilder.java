package dev.lbchannel;

import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.config.ServiceConfig;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.transport.ClientTransportFactory;
import dev.lbchannel.transport.IoTransport;
import dev.lbchannel.transport.TlsContexts;
import dev.lbchannel.transport.TransportKind;
import dev.lbchannel.transport.TransportOptions;
import io.grpc.ClientInterceptor;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Builds an {@link LbChannel}. Options that mean what they mean in grpc-java's
 * {@code ManagedChannelBuilder} have its names and signatures. Not thread-safe; a builder may
 * build several channels.
 *
 * <pre>{@code
 * LbChannel channel = LbChannelBuilder.forTarget("static:///10.0.0.7:50051,10.0.0.8:50051")
 *     .usePlaintext()
 *     .defaultLoadBalancingPolicy("round_robin")
 *     .build();
 * }</pre>
 */
public final class LbChannelBuilder {

    /** The idle timeout when none is set, as in gRPC. */
    public static final long DEFAULT_IDLE_TIMEOUT_MINUTES = 30;
    private static final long MIN_IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    static {
        // Before any Netty class initialises: every channel starts from a builder.
        NettyJfrEvents.offUnlessConfigured();
    }

    private final String target;
    private boolean plaintext;
    private @Nullable SslContext sslContext;
    private @Nullable String authority;
    private @Nullable String userAgent;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private @Nullable Executor executor;
    private int maxInboundMessageSize = TransportOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int maxInboundMetadataSize = TransportOptions.DEFAULT_MAX_INBOUND_METADATA_SIZE;
    private int flowControlWindow = TransportOptions.DEFAULT_FLOW_CONTROL_WINDOW;
    private long keepAliveTimeNanos = TransportOptions.KEEPALIVE_DISABLED;
    private long keepAliveTimeoutNanos = TimeUnit.SECONDS.toNanos(20);
    private boolean keepAliveWithoutCalls;
    private long idleTimeoutNanos = TimeUnit.MINUTES.toNanos(DEFAULT_IDLE_TIMEOUT_MINUTES);
    private long maxConnectionAgeNanos;
    private @Nullable Map<String, ?> defaultServiceConfig;
    private String defaultPolicy = BalancerRegistry.DEFAULT_POLICY;
    private RetryLimits retryLimits = RetryLimits.DEFAULT;
    private ResolverRegistry resolvers = ResolverRegistry.builtIns();
    private BalancerRegistry balancers = BalancerRegistry.builtIns();
    private @Nullable EventLoopGroup eventLoopGroup;
    private @Nullable Class<? extends Channel> channelType;
    private @Nullable TransportKind transportKind;
    private BackoffPolicy backoffPolicy = BackoffPolicy.DEFAULT;
    private CompressorRegistry compressorRegistry = CompressorRegistry.getDefaultInstance();
    private DecompressorRegistry decompressorRegistry = DecompressorRegistry.getDefaultInstance();

    private LbChannelBuilder(String target) {
        this.target = target;
    }

    /**
     * Starts a builder for {@code target}: {@code scheme://authority/endpoint} with a registered
     * scheme, or a bare {@code host:port}, which resolves as {@code dns:///host:port}.
     */
    public static LbChannelBuilder forTarget(String target) {
        return new LbChannelBuilder(requireNonNull(target, "target"));
    }

    /** Speak HTTP/2 in cleartext (h2c with prior knowledge) instead of TLS. */
    public LbChannelBuilder usePlaintext() {
        plaintext = true;
        sslContext = null;
        return this;
    }

    /** Use TLS with ALPN h2 and hostname verification; the default. */
    public LbChannelBuilder useTransportSecurity() {
        plaintext = false;
        return this;
    }

    /** Use TLS with this client context (trust, client certificate, provider); implies TLS. */
    public LbChannelBuilder sslContext(SslContext sslContext) {
        this.sslContext = requireNonNull(sslContext, "sslContext");
        this.plaintext = false;
        return this;
    }

    /** The {@code :authority} (and TLS server name) RPCs carry instead of the target's. */
    public LbChannelBuilder overrideAuthority(String authority) {
        this.authority = requireNonNull(authority, "authority");
        return this;
    }

    /** Put in front of lbchannel's own {@code user-agent}. */
    public LbChannelBuilder userAgent(String userAgent) {
        this.userAgent = requireNonNull(userAgent, "userAgent");
        return this;
    }

    /** Interceptors for every call; the last one given runs first, as in grpc-java. */
    public LbChannelBuilder intercept(ClientInterceptor... interceptors) {
        return intercept(Arrays.asList(interceptors));
    }

    public LbChannelBuilder intercept(List<ClientInterceptor> interceptors) {
        for (ClientInterceptor interceptor : interceptors) {
            this.interceptors.add(requireNonNull(interceptor, "interceptor"));
        }
        return this;
    }

    /**
     * Where call callbacks run when a call names no executor; default: a cached pool shared by the
     * channels that use it, whose threads end when the last of them terminates. The channel's own
     * blocking work (host-name lookups) never runs here but on a shared offload pool.
     */
    public LbChannelBuilder executor(Executor executor) {
        this.executor = requireNonNull(executor, "executor");
        return this;
    }

    /** Run callbacks on the thread that delivers them (an event loop); for non-blocking listeners. */
    public LbChannelBuilder directExecutor() {
        return executor(DirectExecutor.INSTANCE);
    }

    public LbChannelBuilder maxInboundMessageSize(int bytes) {
        this.maxInboundMessageSize = positive(bytes, "maxInboundMessageSize");
        return this;
    }

    public LbChannelBuilder maxInboundMetadataSize(int bytes) {
        this.maxInboundMetadataSize = positive(bytes, "maxInboundMetadataSize");
        return this;
    }

    /** The HTTP/2 receive window per stream and connection; default 1 MiB. */
    public LbChannelBuilder flowControlWindow(int bytes) {
        this.flowControlWindow = positive(bytes, "flowControlWindow");
        return this;
    }

    /** Ping after this long without reads; at least 10 s; {@code Long.MAX_VALUE} disables. */
    public LbChannelBuilder keepAliveTime(long time, TimeUnit unit) {
        long nanos = unit.toNanos(time);
        this.keepAliveTimeNanos = nanos >= TimeUnit.DAYS.toNanos(365) ? TransportOptions.KEEPALIVE_DISABLED
                : Math.max(positive(nanos, "keepAliveTime"), TransportOptions.MIN_KEEPALIVE_TIME_NANOS);
        return this;
    }

    public LbChannelBuilder keepAliveTimeout(long timeout, TimeUnit unit) {
        this.keepAliveTimeoutNanos = positive(unit.toNanos(timeout), "keepAliveTimeout");
        return this;
    }

    public LbChannelBuilder keepAliveWithoutCalls(boolean enable) {
        this.keepAliveWithoutCalls = enable;
        return this;
    }

    /** Go idle (drop connections, stop resolving) after this long without RPCs; at least 1 s. */
    public LbChannelBuilder idleTimeout(long value, TimeUnit unit) {
        long nanos = unit.toNanos(value);
        this.idleTimeoutNanos = nanos >= TimeUnit.DAYS.toNanos(30) ? Long.MAX_VALUE
                : Math.max(positive(nanos, "idleTimeout"), MIN_IDLE_TIMEOUT_NANOS);
        return this;
    }

    /**
     * Replaces each connection after this long, give or take 10 %: the new connection is opened
     * first and the old one drains only once it is READY, so no call waits or fails, and calls
     * spread over backends that were added since (a scale-up) without a server-side
     * {@code MAX_CONNECTION_AGE}. At least 1 s; default: connections are kept.
     */
    public LbChannelBuilder maxConnectionAge(long value, TimeUnit unit) {
        this.maxConnectionAgeNanos = Math.max(positive(unit.toNanos(value), "maxConnectionAge"), MIN_IDLE_TIMEOUT_NANOS);
        return this;
    }

    /** The service config (gRPC's JSON shape) used until, and unless, the resolver gives one. */
    public LbChannelBuilder defaultServiceConfig(@Nullable Map<String, ?> serviceConfig) {
        this.defaultServiceConfig = serviceConfig;
        return this;
    }

    /** The policy used when no service config names one; default {@code pick_first}. */
    public LbChannelBuilder defaultLoadBalancingPolicy(String policy) {
        this.defaultPolicy = requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Performs the service config's {@code retryPolicy} and {@code hedgingPolicy}, as in
     * grpc-java, where it is the default; a stream that never reached a server is retried
     * transparently whatever this says.
     */
    public LbChannelBuilder enableRetry() {
        this.retryLimits = retryLimits.withEnabled(true);
        return this;
    }

    /** Turns off the service config's retry and hedging policies; see {@link #enableRetry()}. */
    public LbChannelBuilder disableRetry() {
        this.retryLimits = retryLimits.withEnabled(false);
        return this;
    }

    /**
     * The most attempts a {@code retryPolicy} may make, the first included (5 unless set); a
     * policy's larger {@code maxAttempts} is capped at this, as in grpc-java.
     */
    public LbChannelBuilder maxRetryAttempts(int maxRetryAttempts) {
        retryLimits = retryLimits.withMaxRetryAttempts(atLeast(1, maxRetryAttempts, "maxRetryAttempts"));
        return this;
    }

    /** The most attempts a {@code hedgingPolicy} may make, the first included (5 unless set). */
    public LbChannelBuilder maxHedgedAttempts(int maxHedgedAttempts) {
        retryLimits = retryLimits.withMaxHedgedAttempts(atLeast(1, maxHedgedAttempts, "maxHedgedAttempts"));
        return this;
    }

    /**
     * Bytes of request messages all calls of this channel may keep for retries and hedges at
     * once (16 MiB unless set); a call that would go past it commits to its current attempt and
     * is not retried.
     */
    public LbChannelBuilder retryBufferSize(long bytes) {
        retryLimits = retryLimits.withBufferSize(positive(bytes, "retryBufferSize"));
        return this;
    }

    /** Bytes of request messages one call may keep for retries and hedges (1 MiB unless set). */
    public LbChannelBuilder perRpcBufferLimit(long bytes) {
        retryLimits = retryLimits.withPerRpcBufferLimit(positive(bytes, "perRpcBufferLimit"));
        return this;
    }

    private static int atLeast(int min, int value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** Adds a resolver for its scheme, replacing a built-in of the same scheme. */
    public LbChannelBuilder resolverProvider(ResolverProvider provider) {
        this.resolvers = resolvers.with(provider);
        return this;
    }

    /** Adds a balancer for its policy name, replacing a built-in of the same name. */
    public LbChannelBuilder balancerProvider(BalancerProvider provider) {
        this.balancers = balancers.with(provider);
        return this;
    }

    /** All the resolvers at once (an application context's), in place of the built-ins and any added. */
    public LbChannelBuilder resolverRegistry(ResolverRegistry registry) {
        this.resolvers = requireNonNull(registry, "registry");
        return this;
    }

    /** All the balancers at once; built-in providers are made only when their policy is used. */
    public LbChannelBuilder balancerRegistry(BalancerRegistry registry) {
        this.balancers = requireNonNull(registry, "registry");
        return this;
    }

    /**
     * The I/O transport of the shared event loops: {@link TransportKind#AUTO} by default (native
     * epoll where it loads, NIO elsewhere). Not with {@link #eventLoopGroup}, whose loops decide.
     */
    public LbChannelBuilder transport(TransportKind kind) {
        this.transportKind = requireNonNull(kind, "kind");
        return this;
    }

    /** Run connections on these event loops instead of the shared ones; the caller owns them. */
    public LbChannelBuilder eventLoopGroup(EventLoopGroup group, Class<? extends Channel> channelType) {
        this.eventLoopGroup = requireNonNull(group, "group");
        this.channelType = requireNonNull(channelType, "channelType");
        return this;
    }

    /** The reconnect backoff; gRPC's by default. Tests shorten it. */
    public LbChannelBuilder connectionBackoff(BackoffPolicy policy) {
        this.backoffPolicy = requireNonNull(policy, "policy");
        return this;
    }

    public LbChannelBuilder compressorRegistry(CompressorRegistry registry) {
        this.compressorRegistry = requireNonNull(registry, "registry");
        return this;
    }

    public LbChannelBuilder decompressorRegistry(DecompressorRegistry registry) {
        this.decompressorRegistry = requireNonNull(registry, "registry");
        return this;
    }

    /**
     * Builds the channel. It starts IDLE and connects on the first RPC or
     * {@code getState(true)}.
     *
     * @throws IllegalArgumentException for an unusable target, an unknown scheme or policy;
     *     the message names the problem
     */
    public LbChannel build() {
        balancers.require(defaultPolicy);
        ServiceConfig defaultConfig = defaultServiceConfig == null ? null
                : ServiceConfig.parse(defaultServiceConfig, balancers);
        int defaultPort = plaintext ? 80 : 443;
        SslContext ssl = plaintext ? null : sslContext != null ? sslContext : TlsContexts.forClient();
        EventLoopGroup group = eventLoopGroup;
        EventLoopGroup owned = null;
        Class<? extends Channel> type = channelType;
        if (group == null) {
            IoTransport io = (transportKind == null ? TransportKind.AUTO : transportKind).io();
            group = owned = SharedEventLoopGroup.acquire(io);
            type = io.socketChannelType();
        } else if (transportKind != null) {
            throw new IllegalStateException("Both transport(" + transportKind + ") and eventLoopGroup(...) are set: "
                    + "the given event loops decide the transport; set only one of them");
        }
        ExecutorService ownedExecutor = executor == null ? SharedExecutor.acquire() : null;
        ExecutorService offload = SharedOffloadExecutor.acquire();
        try {
            Executor callExecutor = executor != null ? executor : requireNonNull(ownedExecutor, "ownedExecutor");
            ChannelTarget resolved = ChannelTarget.resolve(target, resolvers, defaultPort, group, offload);
            String channelAuthority = authority != null ? authority : resolved.defaultAuthority();
            TransportOptions options = TransportOptions.builder(group, requireNonNull(type, "channelType"))
                    .sslContext(ssl)
                    .userAgent(userAgent)
                    .maxInboundMessageSize(maxInboundMessageSize)
                    .maxInboundMetadataSize(maxInboundMetadataSize)
                    .flowControlWindow(flowControlWindow)
                    .keepAlive(keepAliveTimeNanos, keepAliveTimeoutNanos, keepAliveWithoutCalls)
                    .compressorRegistry(compressorRegistry)
                    .decompressorRegistry(decompressorRegistry)
                    .offloadExecutor(offload)
                    .build();
            ChannelSettings settings = new ChannelSettings(resolved, resolvers, defaultPort,
                    channelAuthority, authority != null, balancers, defaultPolicy, defaultConfig,
                    ClientTransportFactory.netty(options), owned, callExecutor, ownedExecutor, offload,
                    compressorRegistry, List.copyOf(interceptors), idleTimeoutNanos, maxConnectionAgeNanos, backoffPolicy,
                    retryLimits);
            return new LbChannel(settings);
        } catch (RuntimeException e) {
            ChannelSettings.releaseShared(owned, ownedExecutor, offload);
            throw e;
        }
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
