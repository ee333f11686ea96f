package dev.lbchannel.reliability;

import dev.lbchannel.LbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The clients a reliability test runs side by side, each a plaintext {@code round_robin} channel
 * over the same backends with the same default service config, so a failure names the client
 * that broke and grpc-java's result shows what the test expects is achievable.
 */
public enum ClientUnderTest {

    LBCHANNEL("lbchannel") {
        @Override
        public ManagedChannel open(List<BackendProcess> backends, Map<String, ?> serviceConfig) {
            return LbChannelBuilder.forTarget(target(backends)).usePlaintext()
                    .defaultServiceConfig(serviceConfig).defaultLoadBalancingPolicy("round_robin").build();
        }
    },

    /** grpc-java's Netty channel as shipped (retries on by default), through the same target. */
    GRPC_JAVA("grpc-java") {
        @Override
        public ManagedChannel open(List<BackendProcess> backends, Map<String, ?> serviceConfig) {
            GrpcJavaStaticResolverProvider.register();
            return NettyChannelBuilder.forTarget(target(backends)).usePlaintext()
                    .defaultServiceConfig(serviceConfig).defaultLoadBalancingPolicy("round_robin").build();
        }

        /**
         * Also UNKNOWN "channel closed": a call whose HEADERS write reaches a connection that the
         * kill has just closed, before grpc-java's handler has seen the close, hears the bare
         * {@code ClosedChannelException} of the write, which grpc-java's Netty transport maps to
         * UNKNOWN (its {@code Utils.statusFromThrowable}: without a cause it cannot tell why the
         * channel closed). Seen once in CI at 300 calls/s; lbchannel fails such a call with
         * UNAVAILABLE because its transport remembers why the connection went away.
         */
        @Override
        public boolean isKillFailure(Status status) {
            return super.isKillFailure(status) || isUnretriedKillFailure(status);
        }

        /** The UNKNOWN "channel closed" above, which a policy retrying UNAVAILABLE leaves alone (grpc/grpc-java#10120). */
        @Override
        public boolean isUnretriedKillFailure(Status status) {
            return status.getCode() == Status.Code.UNKNOWN && "channel closed".equals(status.getDescription());
        }
    };

    private final String displayName;

    ClientUnderTest(String displayName) {
        this.displayName = displayName;
    }

    /** A channel to every backend, by {@code static:///127.0.0.1:p1,127.0.0.1:p2,...}. */
    public abstract ManagedChannel open(List<BackendProcess> backends, Map<String, ?> serviceConfig);

    /** {@code static:///} and the backends' {@code host:port}s. */
    public static String target(List<BackendProcess> backends) {
        return backends.stream().map(BackendProcess::hostAndPort).collect(Collectors.joining(",", "static:///", ""));
    }

    /**
     * Whether a call that failed with {@code status} failed the way a gRPC client fails a call
     * when its backend is killed: UNAVAILABLE (gRPC's status-codes doc: the connection broke).
     */
    public boolean isKillFailure(Status status) {
        return status.getCode() == Status.Code.UNAVAILABLE;
    }

    /**
     * Whether a call that a retry policy for UNAVAILABLE could not save from a kill failed the way
     * this client is known to: never for lbchannel, whose kill failures are all UNAVAILABLE.
     */
    public boolean isUnretriedKillFailure(Status status) {
        return false;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
