package dev.lbchannel.boot.autoconfigure.kubernetes;

import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.kubernetes.KubernetesResolverProvider;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.target.Target;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** When the kubernetes resolver is registered, with which client, and how an application replaces it. */
@Timeout(60)
class LbChannelKubernetesAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelAutoConfiguration.class,
                    LbChannelKubernetesAutoConfiguration.class))
            .withPropertyValues("lbchannel.channels.orders.target=kubernetes:///orders.shop:grpc",
                    "lbchannel.channels.orders.plaintext=true");

    @Test
    void withTheModuleTheKubernetesSchemeIsRegisteredWithOneClient() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KubernetesClient.class);
            assertThat(context).hasSingleBean(KubernetesResolverProvider.class);
            assertThat(context.getBean(ResolverRegistry.class).schemes()).contains("kubernetes");
        });
    }

    @Test
    void withoutTheModuleNothingIsRegistered() {
        runner.withClassLoader(new FilteredClassLoader(KubernetesResolverProvider.class))
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(KubernetesClient.class);
                    assertThat(context.getBean(ResolverRegistry.class).schemes()).doesNotContain("kubernetes");
                });
    }

    @Test
    void disabledByProperty() {
        runner.withPropertyValues("lbchannel.kubernetes.enabled=false",
                        "lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(KubernetesResolverProvider.class);
                    assertThat(context).doesNotHaveBean(KubernetesClient.class);
                });
    }

    @Test
    void theApplicationsClientIsUsed() {
        KubernetesClient own = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").withNamespace("own").build())
                .build();
        try {
            runner.withBean("ownClient", KubernetesClient.class, () -> own)
                    .withPropertyValues("lbchannel.channels.orders.target=kubernetes:///orders:grpc")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context).getBean(KubernetesClient.class).isSameAs(own);
                        assertThat(context.getBean(KubernetesResolverProvider.class)
                                .defaultAuthority(Target.parse("kubernetes:///orders:grpc"))).isEqualTo("orders.own.svc");
                    });
        } finally {
            own.close();
        }
    }

    @Test
    void theApplicationsResolverBeanReplacesIt() {
        runner.withBean("kubernetesResolverProvider", ResolverProvider.class, OwnKubernetesResolver::new)
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(KubernetesResolverProvider.class);
                    assertThat(context.getBean(ResolverRegistry.class).get("kubernetes"))
                            .isInstanceOf(OwnKubernetesResolver.class);
                });
    }

    @Test
    void aMalformedTargetFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("lbchannel.channels.orders.target=kubernetes:///Orders.shop:grpc")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("lbchannel.channels.orders.target")
                        .hasMessageContaining("'Orders' is not a Service name"));
    }

    /** An application's own resolver for the scheme. */
    static final class OwnKubernetesResolver implements ResolverProvider {

        @Override
        public String scheme() {
            return "kubernetes";
        }

        @Override
        public Resolver newResolver(Target target, ResolverArgs args) {
            throw new UnsupportedOperationException("not used");
        }
    }
}
