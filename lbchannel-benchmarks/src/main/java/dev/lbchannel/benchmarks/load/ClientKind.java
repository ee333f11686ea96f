package dev.lbchannel.benchmarks.load;

import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.transport.TransportKind;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The clients compared, each a channel to one loopback port with otherwise default settings:
 * plaintext, pick_first, retries on (both libraries' defaults), a 1 MiB flow-control window
 * (both libraries' defaults). They differ only in the library and the callback executor.
 */
enum ClientKind {

    /** lbchannel with callbacks on the event loop, as issue 4 measures it (native epoll where it loads, as grpc-java). */
    LBCHANNEL("lbchannel", "lbchannel, directExecutor()") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().directExecutor().build();
        }
    },
    /** lbchannel as {@link #LBCHANNEL} on Java NIO: what the native transport is worth. */
    LBCHANNEL_NIO("lbchannel-nio", "lbchannel, directExecutor(), NIO") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().directExecutor()
                    .transport(TransportKind.NIO).build();
        }
    },
    /** lbchannel as {@link #LBCHANNEL} on Netty's native io_uring: whether it beats epoll (issue 18, item 1). */
    LBCHANNEL_IO_URING("lbchannel-io_uring", "lbchannel, directExecutor(), io_uring") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().directExecutor()
                    .transport(TransportKind.IO_URING).build();
        }
    },
    /** lbchannel with its default callback executor, the way most applications will get it. */
    LBCHANNEL_DEFAULT("lbchannel-default", "lbchannel, default executor") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().build();
        }
    },
    /** lbchannel as {@link #LBCHANNEL}, with a retry policy on every method that never fires. */
    LBCHANNEL_RETRY("lbchannel-retry", "lbchannel, directExecutor(), a retryPolicy that never fires") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().directExecutor()
                    .defaultServiceConfig(RETRY_CONFIG).build();
        }
    },
    /** lbchannel as {@link #LBCHANNEL}, with round_robin: the baseline of {@link #LBCHANNEL_OUTLIER}. */
    LBCHANNEL_ROUND_ROBIN("lbchannel-rr", "lbchannel, directExecutor(), round_robin") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().directExecutor()
                    .defaultLoadBalancingPolicy("round_robin").build();
        }
    },
    /**
     * lbchannel as {@link #LBCHANNEL_ROUND_ROBIN}, under outlier_detection with both algorithms on:
     * every call's outcome counted (issue 13: at most 15 % more client CPU per call).
     */
    LBCHANNEL_OUTLIER("lbchannel-outlier", "lbchannel, directExecutor(), outlier_detection over round_robin") {
        @Override
        ManagedChannel open(int port) {
            return LbChannelBuilder.forTarget("passthrough:///127.0.0.1:" + port).usePlaintext().directExecutor()
                    .defaultServiceConfig(OUTLIER_CONFIG).build();
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
    },
    /** grpc-java as {@link #GRPC_DIRECT}, with the same retry policy as {@link #LBCHANNEL_RETRY}. */
    GRPC_DIRECT_RETRY("grpc-java-direct-retry", "grpc-java NettyChannelBuilder, directExecutor(), the same retryPolicy") {
        @Override
        ManagedChannel open(int port) {
            return NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .usePlaintext().directExecutor().defaultServiceConfig(RETRY_CONFIG).enableRetry().build();
        }
    };

    /**
     * A retry policy for every method of the benchmark's service, for an UNAVAILABLE that the
     * benchmark never sees: what a policy costs a call that does not need it.
     */
    static final Map<String, ?> RETRY_CONFIG = Map.of("methodConfig", List.of(Map.of(
            "name", List.of(Map.of("service", "grpc.testing.TestService")),
            "retryPolicy", Map.of("maxAttempts", 3.0, "initialBackoff", "0.1s", "maxBackoff", "1s",
                    "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE")))));

    /** outlier_detection (gRFC A50) with A50's defaults and both algorithms, over round_robin. */
    static final Map<String, ?> OUTLIER_CONFIG = Map.of("loadBalancingConfig", List.of(Map.of("outlier_detection",
            Map.of("successRateEjection", Map.of(), "failurePercentageEjection", Map.of(),
                    "childPolicy", List.of(Map.of("round_robin", Map.of()))))));

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
        return this == LBCHANNEL || this == LBCHANNEL_NIO || this == LBCHANNEL_DEFAULT || this == LBCHANNEL_RETRY
                || this == LBCHANNEL_ROUND_ROBIN || this == LBCHANNEL_OUTLIER;
    }

    static ClientKind byId(String id) {
        for (ClientKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown client '" + id + "'; known: lbchannel, lbchannel-nio, lbchannel-default, "
                + "lbchannel-retry, lbchannel-rr, lbchannel-outlier, grpc-java, grpc-java-direct, grpc-java-direct-retry");
    }
}
