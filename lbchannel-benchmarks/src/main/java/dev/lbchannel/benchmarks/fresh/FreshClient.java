package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.benchmarks.scenario.GrpcBackendsResolver;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The two clients compared, each built the way an application writes it: a plaintext channel to
 * a target string with the default scheme (DNS, which takes an IP literal without a lookup) and
 * every other setting at its default; for the fan-out probe, one round_robin channel over many
 * addresses. Stateless.
 */
enum FreshClient {

    LBCHANNEL("lbchannel") {
        @Override
        ManagedChannel open(String target) {
            return LbChannelBuilder.forTarget(target).usePlaintext().build();
        }

        @Override
        ManagedChannel openFanOut(List<Integer> ports) {
            String addresses = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
            return LbChannelBuilder.forTarget("static:///" + addresses).usePlaintext()
                    .defaultLoadBalancingPolicy("round_robin").build();
        }
    },
    GRPC_JAVA("grpc-java") {
        @Override
        ManagedChannel open(String target) {
            return NettyChannelBuilder.forTarget(target).usePlaintext().build();
        }

        @Override
        ManagedChannel openFanOut(List<Integer> ports) {
            return NettyChannelBuilder.forTarget(GrpcBackendsResolver.SCHEME + ":///backends")
                    .nameResolverFactory(new GrpcBackendsResolver(ports)).usePlaintext()
                    .defaultLoadBalancingPolicy("round_robin").build();
        }
    };

    private final String id;

    FreshClient(String id) {
        this.id = id;
    }

    abstract ManagedChannel open(String target);

    /** One channel balancing round_robin over a loopback address per port, one connection each. */
    abstract ManagedChannel openFanOut(List<Integer> ports);

    String id() {
        return id;
    }

    static FreshClient byId(String id) {
        for (FreshClient client : values()) {
            if (client.id.equals(id)) {
                return client;
            }
        }
        throw new IllegalArgumentException("Unknown client '" + id + "'; known: lbchannel, grpc-java");
    }
}
