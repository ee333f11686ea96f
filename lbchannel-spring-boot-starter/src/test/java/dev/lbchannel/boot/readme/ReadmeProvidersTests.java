package dev.lbchannel.boot.readme;

import dev.lbchannel.LbChannel;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's resolver and balancer, declared as beans exactly as the README says, serve calls
 * from YAML against two grpc-java backends, and follow the registry when an instance leaves.
 */
@Timeout(60)
class ReadmeProvidersTests {

    private static TestBackend first;
    private static TestBackend second;

    @BeforeAll
    static void start() {
        first = TestBackend.plaintext();
        second = TestBackend.plaintext();
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    @Test
    void theReadmesProvidersServeAChannelFromYaml() {
        Map<String, List<InetSocketAddress>> registry = new ConcurrentHashMap<>();
        registry.put("orders", List.of(first.address(), second.address()));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LbChannelAutoConfiguration.class))
                .withBean(ResolverProvider.class, () -> new RegistryResolverProvider(registry))
                .withBean(BalancerProvider.class, RandomBalancerProvider::new)
                .withPropertyValues("lbchannel.channels.orders.target=registry:///orders",
                        "lbchannel.channels.orders.plaintext=true",
                        "lbchannel.channels.orders.default.load-balancing-policy=random")
                .run(context -> {
                    LbChannel channel = context.getBean(LbChannels.class).get("orders");
                    TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channel);
                    stub.emptyCall(Empty.getDefaultInstance());
                    Await.until("both backends READY", () -> channel.snapshot().subchannels().stream()
                            .filter(s -> s.state() == ConnectivityState.READY).count() == 2);
                    Await.until("both backends called", () -> {
                        stub.emptyCall(Empty.getDefaultInstance());
                        return first.callsStarted() > 0 && second.callsStarted() > 0;
                    });
                    assertThat(channel.snapshot().lbPolicy()).isEqualTo("random");

                    registry.put("orders", List.of(second.address()));
                    Await.until("the first backend gone", () -> { // this resolver reads the registry on refresh
                        channel.refreshResolution();
                        return channel.snapshot().subchannels().size() == 1;
                    });
                    int before = first.callsStarted();
                    for (int i = 0; i < 10; i++) {
                        stub.emptyCall(Empty.getDefaultInstance());
                    }
                    assertThat(first.callsStarted()).isEqualTo(before);
                });
    }
}
