package dev.lbchannel;

import dev.lbchannel.resolver.dns.DnsResolverProvider;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.Dnsmasq;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * round_robin over a DNS name served by a real dnsmasq on loopback: backends on 127.0.0.1-3
 * share one port, so the name's A records alone choose them.
 */
@Timeout(120)
class DnsLoadBalancingTests {

    private static final String NAME = "backends.test";
    private static final String[] HOSTS = {"127.0.0.1", "127.0.0.2", "127.0.0.3"};

    private final ServedByCounter served = new ServedByCounter();
    private final List<TestBackend> backends = new ArrayList<>();
    private Dnsmasq dns;
    private LbChannel channel;
    private int port;

    @BeforeEach
    void start() {
        dns = Dnsmasq.start();
        backends.addAll(TestBackend.plaintextOnSharedPort(HOSTS));
        port = backends.get(0).port();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        backends.forEach(TestBackend::close);
        if (dns != null) {
            dns.close();
        }
    }

    private LbChannel channel(DnsResolverProvider resolver, String policy) {
        channel = LbChannelBuilder.forTarget(dns.target(NAME + ":" + port)).usePlaintext()
                .resolverProvider(resolver).defaultLoadBalancingPolicy(policy)
                .connectionBackoff(LoadBalancingTests.FAST_BACKOFF).intercept(served).build();
        return channel;
    }

    private void call() {
        TestServiceGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance());
    }

    private int servedBy(int i) {
        return served.served(HOSTS[i] + ":" + port);
    }

    private void callUntilServedBy(int i) {
        Await.until("a call served by " + HOSTS[i], () -> {
            call();
            return servedBy(i) > 0;
        });
    }

    @Test
    void periodicRefreshBringsNewBackendsIn() {
        dns.hosts(NAME, HOSTS[0], HOSTS[1]);
        channel(DnsResolverProvider.builder().refreshInterval(Duration.ofMillis(300)).build(), "round_robin");
        for (int i = 0; i < 30; i++) {
            call();
        }
        assertThat(servedBy(0)).isPositive();
        assertThat(servedBy(1)).isPositive();
        assertThat(servedBy(2)).isZero();

        dns.hosts(NAME, HOSTS[0], HOSTS[1], HOSTS[2]);
        callUntilServedBy(2);
    }

    @Test
    void lostBackendTriggersReResolutionThatFindsTheReplacement() {
        dns.hosts(NAME, HOSTS[0], HOSTS[1]);
        channel(DnsResolverProvider.builder().minRefreshInterval(Duration.ofMillis(100)).build(), "round_robin");
        for (int i = 0; i < 10; i++) {
            call();
        }
        dns.hosts(NAME, HOSTS[0], HOSTS[2]);
        backends.get(1).kill();     // its subchannel fails, and the balancer asks DNS again
        callUntilServedBy(2);
    }

    @Test
    void invalidTxtServiceConfigKeepsTheLastGoodOne() {
        dns.hosts(NAME, HOSTS[0], HOSTS[1]);
        dns.txt("_grpc_config." + NAME,
                "grpc_config=[{\"serviceConfig\":{\"loadBalancingConfig\":[{\"round_robin\":{}}]}}]");
        channel(DnsResolverProvider.builder().refreshInterval(Duration.ofMillis(300)).build(), "pick_first");
        call();
        Await.until("round_robin from TXT", () -> "round_robin".equals(channel.snapshot().lbPolicy()));

        dns.txt("_grpc_config." + NAME, "grpc_config=[{\"serviceConfig\":{\"loadBalancingConfig\":\"round_robin\"}}]");
        Await.until("the invalid config is rejected", () -> channel.snapshot().trace().stream()
                .anyMatch(e -> e.description().startsWith("Resolver's service config rejected")));
        assertThat(channel.snapshot().lbPolicy()).isEqualTo("round_robin");
        served.reset();
        for (int i = 0; i < 20; i++) {
            call();
        }
        assertThat(servedBy(0)).isPositive();
        assertThat(servedBy(1)).isPositive();
    }
}
