package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.ImportLbChannelStubs;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.ServedByCounter;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceFutureStub;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole starter as an application uses it: an application.yml ({@code lbchannel-it.yml}),
 * generated stubs injected as beans, a ResolverProvider bean for a new scheme, a custom
 * BalancerProvider chosen from YAML with its own config block, and interceptor beans in order,
 * against grpc-java backends on loopback.
 */
@SpringBootTest(classes = LbChannelStarterIntegrationTests.App.class, properties = "spring.config.name=lbchannel-it")
@DirtiesContext
@Timeout(120)
class LbChannelStarterIntegrationTests {

    private static final TestBackend FIRST = TestBackend.plaintext();
    private static final TestBackend SECOND = TestBackend.plaintext();
    private static final List<String> INTERCEPTED = new ArrayList<>();

    @Autowired
    @Qualifier("ordersTestServiceBlockingStub")
    TestServiceBlockingStub orders;

    @Autowired
    TestServiceFutureStub ordersFuture;

    @Autowired
    TestServiceStub ordersAsync;

    @Autowired
    @Qualifier("manualTestServiceBlockingStub")
    TestServiceBlockingStub manual;

    @Autowired
    @Qualifier("preferredTestServiceBlockingStub")
    TestServiceBlockingStub preferred;

    @Autowired
    ManualResolverProvider manualResolver;

    @Autowired
    ServedByCounter counter;

    @Autowired
    LbChannels channels;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        String both = "static:///127.0.0.1:" + FIRST.port() + ",127.0.0.1:" + SECOND.port();
        registry.add("lbchannel.channels.orders.target", () -> both);
        registry.add("lbchannel.channels.preferred.target", () -> both);
        registry.add("it.preferred-port", SECOND::port);
    }

    @AfterAll
    static void stopBackends() {
        FIRST.close();
        SECOND.close();
    }

    @Test
    void yamlRoundRobinChannelServesAnInjectedStub() {
        awaitReadySubchannels("orders", 2);
        counter.reset();
        for (int i = 0; i < 20; i++) {
            orders.emptyCall(Empty.getDefaultInstance());
        }
        assertThat(counter.served("127.0.0.1:" + FIRST.port())).isEqualTo(10);
        assertThat(counter.served("127.0.0.1:" + SECOND.port())).isEqualTo(10);
        assertThat(channels.get("orders").snapshot().lbPolicy()).isEqualTo("round_robin");
    }

    @Test
    void futureAndAsyncStubsAreBeansToo() throws Exception {
        assertThat(ordersFuture.emptyCall(Empty.getDefaultInstance()).get(20, TimeUnit.SECONDS)).isNotNull();
        assertThat(ordersAsync.getChannel()).isSameAs(ordersFuture.getChannel());
    }

    @Test
    void aResolverProviderBeanServesItsScheme() {
        manualResolver.update(SECOND.port());
        int before = SECOND.callsStarted();
        manual.emptyCall(Empty.getDefaultInstance());
        assertThat(SECOND.callsStarted()).isEqualTo(before + 1);
    }

    @Test
    void aCustomBalancerGetsItsOwnConfigBlockFromYaml() {
        awaitReadySubchannels("preferred", 2);
        counter.reset();
        for (int i = 0; i < 10; i++) {
            preferred.emptyCall(Empty.getDefaultInstance());
        }
        assertThat(counter.served("127.0.0.1:" + SECOND.port())).isEqualTo(10);
        assertThat(channels.get("preferred").snapshot().lbPolicy()).isEqualTo("preferred_port");
    }

    @Test
    void interceptorBeansRunInOrder() {
        synchronized (INTERCEPTED) {
            INTERCEPTED.clear();
        }
        orders.emptyCall(Empty.getDefaultInstance());
        synchronized (INTERCEPTED) {
            assertThat(INTERCEPTED).containsExactly("first", "second");
        }
    }

    @Test
    void aChannelCanNameItsOwnInterceptors() {
        manualResolver.update(FIRST.port());
        synchronized (INTERCEPTED) {
            INTERCEPTED.clear();
        }
        counter.reset();
        manual.emptyCall(Empty.getDefaultInstance());
        synchronized (INTERCEPTED) {
            assertThat(INTERCEPTED).containsExactly("second");
        }
        assertThat(counter.served("127.0.0.1:" + FIRST.port())).isZero();
    }

    private void awaitReadySubchannels(String channel, int count) {
        channels.get(channel).getState(true);
        Await.until(count + " READY subchannels on " + channel, () -> channels.get(channel).snapshot().subchannels()
                .stream().filter(s -> s.state() == ConnectivityState.READY).count() == count);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ImportLbChannelStubs(channel = "orders",
            value = { TestServiceBlockingStub.class, TestServiceFutureStub.class, TestServiceStub.class })
    @ImportLbChannelStubs(channel = "manual", value = TestServiceBlockingStub.class)
    @ImportLbChannelStubs(channel = "preferred", value = TestServiceBlockingStub.class)
    static class App {

        @Bean
        ManualResolverProvider manualResolver() {
            return new ManualResolverProvider("manual");
        }

        @Bean
        BalancerProvider preferredPort() {
            return new PreferredPortBalancerProvider("preferred_port");
        }

        @Bean
        @Order(2)
        ClientInterceptor second() {
            return new TestInterceptors.Recording("second", INTERCEPTED);
        }

        @Bean
        @Order(1)
        ClientInterceptor first() {
            return new TestInterceptors.Recording("first", INTERCEPTED);
        }

        @Bean
        ServedByCounter counter() {
            return new ServedByCounter();
        }
    }
}
