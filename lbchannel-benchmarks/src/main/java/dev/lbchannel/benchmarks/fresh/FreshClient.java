package dev.lbchannel.benchmarks.fresh;

import dev.lbchannel.LbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * The two clients compared, each built the way an application writes it: a plaintext channel to
 * a target string with the default scheme (DNS, which takes an IP literal without a lookup) and
 * every other setting at its default. Stateless.
 */
enum FreshClient {

    LBCHANNEL("lbchannel") {
        @Override
        ManagedChannel open(String target) {
            return LbChannelBuilder.forTarget(target).usePlaintext().build();
        }
    },
    GRPC_JAVA("grpc-java") {
        @Override
        ManagedChannel open(String target) {
            return NettyChannelBuilder.forTarget(target).usePlaintext().build();
        }
    };

    private final String id;

    FreshClient(String id) {
        this.id = id;
    }

    abstract ManagedChannel open(String target);

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
