package dev.lbchannel.etcd;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.etcd.api.AuthGrpc;
import dev.lbchannel.etcd.api.AuthenticateRequest;
import dev.lbchannel.etcd.api.AuthenticateResponse;
import dev.lbchannel.etcd.api.KVGrpc;
import dev.lbchannel.etcd.api.RangeRequest;
import dev.lbchannel.etcd.api.RangeResponse;
import dev.lbchannel.etcd.api.WatchGrpc;
import dev.lbchannel.etcd.api.WatchRequest;
import dev.lbchannel.etcd.api.WatchResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * One resolver's connection to an etcd cluster: an lbchannel channel to its members (pick_first,
 * so every call goes to one member until it fails) and etcd's generated stubs over it. With
 * credentials, {@link #authenticate} fetches a token that every later call carries in etcd's
 * {@code token} header. Thread-safe; the stubs' callbacks run on the channel's executor.
 */
final class EtcdConnection {

    /** etcd's header for an auth token (rpctypes.TokenFieldNameGRPC). */
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    /**
     * etcd's "require leader" header (rpctypes.MetadataRequireLeaderKey): a member cut off from
     * its leader cancels the watch instead of keeping it open and silent, as etcd's Go client asks.
     */
    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
    private static final long KEEPALIVE_TIMEOUT_SECONDS = 10;

    private final LbChannel channel;
    private final EtcdOptions options;
    /** The current auth token; shared with the channel's interceptor, which reads it for every call. */
    private final AtomicReference<@Nullable String> token;

    private EtcdConnection(LbChannel channel, EtcdOptions options, AtomicReference<@Nullable String> token) {
        this.channel = channel;
        this.options = options;
        this.token = token;
    }

    /** Builds the channel; it connects on the first call. */
    static EtcdConnection open(EtcdServers servers, EtcdOptions options) {
        boolean tls = servers.tls() != null ? servers.tls() : options.sslContext() != null;
        LbChannelBuilder builder = LbChannelBuilder.forTarget(servers.channelTarget())
                .defaultLoadBalancingPolicy("pick_first")
                .connectionBackoff(options.backoff())
                .keepAliveTime(options.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .userAgent("lbchannel-etcd");
        if (!tls) {
            builder.usePlaintext();
        } else {
            // One authority for every member: the first one's host, which their certificates must name.
            builder.overrideAuthority(servers.addresses().get(0).host());
            if (options.sslContext() != null) {
                builder.sslContext(options.sslContext());
            }
        }
        AtomicReference<@Nullable String> token = new AtomicReference<>();
        builder.intercept(new TokenInterceptor(token));
        return new EtcdConnection(builder.build(), options, token);
    }

    /** Fetches a token with the configured user and password; later calls carry it. */
    void authenticate(StreamObserver<AuthenticateResponse> observer) {
        token.set(null);
        AuthenticateRequest request = AuthenticateRequest.newBuilder()
                .setName(requireNonNull(options.username(), "username"))
                .setPassword(requireNonNull(options.password(), "password"))
                .build();
        AuthGrpc.newStub(channel).withDeadlineAfter(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .authenticate(request, observer);
    }

    void token(String value) {
        token.set(value);
    }

    /** Lists every key under {@code prefix} (linearizable, so never staler than a watch would be). */
    void range(KeyPrefix prefix, StreamObserver<RangeResponse> observer) {
        RangeRequest request = RangeRequest.newBuilder().setKey(prefix.key()).setRangeEnd(prefix.rangeEnd()).build();
        KVGrpc.newStub(channel).withDeadlineAfter(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .range(request, observer);
    }

    /** Opens a watch stream; the caller sends its create request and cancels it when done. */
    ClientCallStreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        Metadata headers = new Metadata();
        headers.put(HAS_LEADER, "true");
        WatchGrpc.WatchStub stub = WatchGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        return (ClientCallStreamObserver<WatchRequest>) stub.watch(responses);
    }

    /** Closes the channel at once; calls still open end with CANCELLED or UNAVAILABLE. */
    void shutdown() {
        channel.shutdownNow();
    }

    /** Adds the current token, when there is one, to every call but the one that asks for it. */
    private record TokenInterceptor(AtomicReference<@Nullable String> token) implements ClientInterceptor {

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    String current = token.get();
                    if (current != null && !method.equals(AuthGrpc.getAuthenticateMethod())) {
                        headers.put(TOKEN, current);
                    }
                    super.start(listener, headers);
                }
            };
        }
    }
}
