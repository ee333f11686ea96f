package dev.lbchannel.benchmarks.load;

import dev.lbchannel.LbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.net.InetSocketAddress;

/**
 * The clients compared, each a channel to one loopback port with otherwise default settings:
 * plaintext, pick_first, retries on (both libraries' defaults), a 1 MiB flow-control window
 * (both libraries' defaults). They differ only in the library and the callback executor.
 */
enum ClientKind {

    /** lbchannel with callbacks on the event loop, as issue 4 measures it. */
    LBCHANNEL("lbchannel", "lbchannel, directExecutor()") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().directExecutor().build();
        }
    },
    /** lbchannel with its default callback executor, the way most applications will get it. */
    LBCHANNEL_DEFAULT("lbchannel-default", "lbchannel, default executor") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().build();
        }
    },
    /** grpc-java's Netty channel exactly as shipped: callbacks on its cached thread pool. */
    GRPC_SHIPPED("grpc-java", "grpc-java NettyChannelBuilder, as shipped") {
        @Override
        ManagedChannel open(int port) {
            return NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).usePlaintext().build();
        }
    },
    /** grpc-java tuned as its experts run it: callbacks on the event loop. */
    GRPC_DIRECT("grpc-java-direct", "grpc-java NettyChannelBuilder, directExecutor()") {
        @Override
        ManagedChannel open(int port) {
            return NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .usePlaintext().directExecutor().build();
        }
    };

    private final String id;
    private final String description;

    ClientKind(String id, String description) {
        this.id = id;
        this.description = description;
    }

    abstract ManagedChannel open(int port);

    /** The short name used on the command line and in the table. */
    String id() {
        return id;
    }

    String description() {
        return description;
    }

    boolean isLbChannel() {
        return this == LBCHANNEL || this == LBCHANNEL_DEFAULT;
    }

    static ClientKind byId(String id) {
        for (ClientKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown client '" + id + "'; known: lbchannel, lbchannel-default, "
                + "grpc-java, grpc-java-direct");
    }
}
