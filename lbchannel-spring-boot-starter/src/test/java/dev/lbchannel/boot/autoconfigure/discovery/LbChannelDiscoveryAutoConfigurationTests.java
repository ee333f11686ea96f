package dev.lbchannel.boot.autoconfigure.discovery;

import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.target.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** When the discovery resolver is registered, and how an application turns it off or replaces it. */
@Timeout(60)
class LbChannelDiscoveryAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelAutoConfiguration.class,
                    UtilAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
                    LbChannelDiscoveryAutoConfiguration.class))
            .withPropertyValues("lbchannel.channels.orders.target=discovery:///orders",
                    "lbchannel.channels.orders.plaintext=true");

    @Test
    void withADiscoveryClientTheDiscoverySchemeIsRegistered() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(DiscoveryResolverProvider.class);
            assertThat(context).hasSingleBean(DiscoveryHeartbeatListener.class);
            assertThat(context.getBean(ResolverRegistry.class).schemes()).contains("discovery");
        });
    }

    @Test
    void withoutSpringCloudCommonsNothingIsRegistered() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelAutoConfiguration.class,
                        LbChannelDiscoveryAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(DiscoveryClient.class))
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DiscoveryResolverProvider.class);
                });
    }

    @Test
    void withoutADiscoveryClientBeanNothingIsRegistered() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelAutoConfiguration.class,
                        LbChannelDiscoveryAutoConfiguration.class))
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DiscoveryResolverProvider.class);
                    assertThat(context.getBean(ResolverRegistry.class).schemes()).doesNotContain("discovery");
                });
    }

    @Test
    void disabledByProperty() {
        runner.withPropertyValues("lbchannel.discovery.enabled=false",
                        "lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> assertThat(context).doesNotHaveBean(DiscoveryResolverProvider.class));
    }

    @Test
    void theApplicationsResolverBeanReplacesIt() {
        runner.withBean("discoveryResolverProvider", ResolverProvider.class, OwnDiscoveryResolver::new)
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DiscoveryResolverProvider.class);
                    assertThat(context.getBean(ResolverRegistry.class).get("discovery"))
                            .isInstanceOf(OwnDiscoveryResolver.class);
                });
    }

    @Test
    void aNegativeRefreshIntervalFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("lbchannel.discovery.refresh-interval=-1s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .rootCause().hasMessageContaining("lbchannel.discovery.refresh-interval"));
    }

    @Test
    void aMalformedTargetFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("lbchannel.channels.orders.target=discovery://eureka/orders")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("lbchannel.channels.orders.target")
                        .hasMessageContaining("the application's DiscoveryClient is used; write discovery:///service-id"));
    }

    /** An application's own resolver for the scheme. */
    static final class OwnDiscoveryResolver implements ResolverProvider {

        @Override
        public String scheme() {
            return "discovery";
        }

        @Override
        public Resolver newResolver(Target target, ResolverArgs args) {
            throw new UnsupportedOperationException("not used");
        }
    }
}
