package dev.lbchannel.boot.autoconfigure.dns;

import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.resolver.dns.DnsResolverProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** lbchannel.dns.*: absent, set, replaced by an application's bean, and a bad value. */
@Timeout(60)
class LbChannelDnsAutoConfigurationTests {

    private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LbChannelDnsAutoConfiguration.class, LbChannelAutoConfiguration.class));

    @Test
    void withoutPropertiesTheBuiltInStays() {
        RUNNER.run(context -> {
            assertThat(context).doesNotHaveBean(DnsResolverProvider.class);
            assertThat(context.getBean(ResolverRegistry.class).get("dns")).isInstanceOf(DnsResolverProvider.class);
        });
    }

    @Test
    void withoutPropertiesAnApplicationsOwnDnsProviderDeclaredAsResolverProviderStillWorks() {
        RUNNER.withUserConfiguration(OwnDnsAsResolverProvider.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ResolverRegistry.class).get("dns")).isSameAs(OwnDnsAsResolverProvider.PROVIDER);
        });
    }

    @Test
    void anyPropertyReplacesTheBuiltInWithAConfiguredOne() {
        RUNNER.withPropertyValues("lbchannel.dns.refresh-interval=30s", "lbchannel.dns.honor-ttl=true",
                "lbchannel.dns.min-refresh-interval=5s").run(context -> {
                    assertThat(context).hasSingleBean(DnsResolverProvider.class);
                    assertThat(context.getBean(ResolverRegistry.class).get("dns"))
                            .isSameAs(context.getBean(DnsResolverProvider.class));
                    LbChannelDnsProperties properties = context.getBean(LbChannelDnsProperties.class);
                    assertThat(properties.getRefreshInterval()).hasSeconds(30);
                    assertThat(properties.isHonorTtl()).isTrue();
                    assertThat(properties.getMinRefreshInterval()).hasSeconds(5);
                });
    }

    @Test
    void anApplicationsOwnDnsResolverProviderWins() {
        RUNNER.withPropertyValues("lbchannel.dns.honor-ttl=true").withUserConfiguration(OwnDns.class).run(context -> {
            assertThat(context).hasSingleBean(DnsResolverProvider.class);
            assertThat(context.getBean(ResolverRegistry.class).get("dns")).isSameAs(OwnDns.PROVIDER);
        });
    }

    @Test
    void aNegativeIntervalNamesTheProperty() {
        RUNNER.withPropertyValues("lbchannel.dns.refresh-interval=-1s").run(context -> {
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
                cause = cause.getCause();
            }
            assertThat(cause).isNotNull();
            assertThat(((InvalidConfigurationPropertyValueException) cause).getName())
                    .isEqualTo("lbchannel.dns.refresh-interval");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDns {

        static final DnsResolverProvider PROVIDER = DnsResolverProvider.builder().build();

        @Bean
        DnsResolverProvider myDns() {
            return PROVIDER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDnsAsResolverProvider {

        static final ResolverProvider PROVIDER = DnsResolverProvider.builder().build();

        @Bean
        ResolverProvider myDns() {
            return PROVIDER;
        }
    }
}
