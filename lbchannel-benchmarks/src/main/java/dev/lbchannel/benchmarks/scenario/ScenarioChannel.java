package dev.lbchannel.benchmarks.scenario;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One run's channel to the loopback backends, on either library, with the run's service config,
 * callbacks on the event loop ({@code directExecutor()}) in both, and a way to change the backend
 * list mid-run as a resolver would. Used by the harness thread; the channel itself is thread-safe.
 *
 * @param update tells the channel the backends are now these loopback ports
 */
record ScenarioChannel(ManagedChannel channel, Consumer<List<Integer>> update) {

    /** The {@code :authority} of every run's calls, on both libraries. */
    static final String AUTHORITY = "backends";

    void updateBackends(List<Integer> ports) {
        update.accept(ports);
    }

    /**
     * lbchannel over the {@code static} resolver; a new list arrives through {@code updateTarget},
     * which needs a fixed authority (a static target's authority is its address list).
     */
    static ScenarioChannel lbchannel(List<Integer> ports, Map<String, ?> serviceConfig) {
        LbChannel channel = LbChannelBuilder.forTarget(staticTarget(ports)).usePlaintext().directExecutor()
                .overrideAuthority(AUTHORITY).defaultServiceConfig(serviceConfig).build();
        return new ScenarioChannel(channel, newPorts -> channel.updateTarget(staticTarget(newPorts)));
    }

    /** grpc-java's Netty channel over {@link GrpcBackendsResolver}. */
    static ScenarioChannel grpcJava(List<Integer> ports, Map<String, ?> serviceConfig) {
        GrpcBackendsResolver resolver = new GrpcBackendsResolver(ports);
        ManagedChannel channel = NettyChannelBuilder.forTarget(GrpcBackendsResolver.SCHEME + ":///backends")
                .nameResolverFactory(resolver).usePlaintext().directExecutor()
                .defaultServiceConfig(serviceConfig).build();
        return new ScenarioChannel(channel, resolver::update);
    }

    private static String staticTarget(List<Integer> ports) {
        return "static:///" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }
}
