package dev.lbchannel.demo.resolver;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.demo.backend.Backends;
import dev.lbchannel.demo.v1.GreeterGrpc;
import dev.lbchannel.demo.v1.GreeterGrpc.GreeterBlockingStub;
import dev.lbchannel.demo.v1.HelloRequest;
import dev.lbchannel.testing.Await;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code demo} scheme on a plain {@link LbChannel}, against real backends. */
@Timeout(60)
class DemoResolverProviderTests {

    private final Backends backends = Backends.start(List.of(0, 0, 0));
    private LbChannel channel;

    @AfterEach
    void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
        }
        backends.close();
    }

    @Test
    void reportsEveryBackendRunningOrNotAndTheBalancerSkipsTheStoppedOne() {
        backends.find(2).orElseThrow().stop();
        channel = LbChannelBuilder.forTarget("demo:///greeter")
                .resolverProvider(new DemoResolverProvider(backends))
                .defaultLoadBalancingPolicy("round_robin")
                .usePlaintext()
                .build();
        channel.getState(true);

        Await.until("backends 1 and 3 READY", () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == 2);
        assertThat(channel.snapshot().subchannels()).extracting(s -> s.addresses().get(0))
                .containsExactlyInAnyOrderElementsOf(backends.all().stream()
                        .map(b -> "127.0.0.1:" + b.port()).toList());
        SubchannelSnapshot stopped = channel.snapshot().subchannels().stream()
                .filter(s -> s.addresses().get(0).equals("127.0.0.1:" + backends.find(2).orElseThrow().port()))
                .findFirst().orElseThrow();
        assertThat(stopped.state()).isNotEqualTo(ConnectivityState.READY);

        GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(channel);
        Set<Integer> served = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            served.add(stub.sayHello(HelloRequest.newBuilder().setName("r").build()).getBackendId());
        }
        assertThat(served).containsExactlyInAnyOrder(1, 3);
    }

    @Test
    void otherNamesAreRejectedNamingTheTarget() {
        LbChannelBuilder builder = LbChannelBuilder.forTarget("demo:///orders")
                .resolverProvider(new DemoResolverProvider(backends))
                .usePlaintext();

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("demo:///orders")
                .hasMessageContaining("demo:///greeter");
    }
}
