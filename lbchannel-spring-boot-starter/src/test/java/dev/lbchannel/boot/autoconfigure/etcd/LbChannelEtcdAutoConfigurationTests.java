package dev.lbchannel.boot.autoconfigure.etcd;

import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.etcd.EtcdResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The etcd resolver's auto-configuration: on the class path, off, replaced, bad properties, IDE metadata. */
@Timeout(60)
class LbChannelEtcdAutoConfigurationTests {

    private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LbChannelEtcdAutoConfiguration.class, LbChannelAutoConfiguration.class));

    @Test
    void withLbchannelEtcdOnTheClassPathTheEtcdSchemeIsRegistered() {
        RUNNER.run(context -> {
            assertThat(context).hasSingleBean(EtcdResolverProvider.class);
            assertThat(context.getBean(ResolverRegistry.class).get("etcd")).isSameAs(context.getBean(EtcdResolverProvider.class));
        });
    }

    @Test
    void withoutLbchannelEtcdNothingIsRegistered() {
        RUNNER.withClassLoader(new FilteredClassLoader(EtcdResolverProvider.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(LbChannelEtcdProperties.class);
            assertThat(context.getBean(ResolverRegistry.class).schemes()).doesNotContain("etcd");
        });
    }

    @Test
    void aChannelUsesTheConfiguredEndpoints() {
        RUNNER.withPropertyValues("lbchannel.etcd.endpoints=http://127.0.0.1:2379,http://127.0.0.1:22379",
                "lbchannel.etcd.username=reader", "lbchannel.etcd.password=s3cret",
                "lbchannel.etcd.backoff.initial=100ms", "lbchannel.etcd.backoff.max=2s",
                "lbchannel.channels.orders.target=etcd:///services/orders", "lbchannel.channels.orders.plaintext=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LbChannels.class).get("orders").target()).isEqualTo("etcd:///services/orders");
                    assertThat(context.getBean(LbChannelEtcdProperties.class).toString()).doesNotContain("s3cret");
                });
    }

    @Test
    void anApplicationsOwnProviderWins() {
        RUNNER.withUserConfiguration(OwnProvider.class).run(context -> {
            assertThat(context).hasSingleBean(EtcdResolverProvider.class);
            assertThat(context.getBean(ResolverRegistry.class).get("etcd")).isSameAs(OwnProvider.PROVIDER);
        });
    }

    @Test
    void itCanBeTurnedOff() {
        RUNNER.withPropertyValues("lbchannel.etcd.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(EtcdResolverProvider.class));
    }

    @Test
    void aBadEndpointNamesTheProperty() {
        RUNNER.withPropertyValues("lbchannel.etcd.endpoints=http://a:2379,https://b:2379").run(context -> {
            InvalidConfigurationPropertyValueException e = invalidProperty(context.getStartupFailure());
            assertThat(e.getName()).isEqualTo("lbchannel.etcd.endpoints");
            assertThat(e.getValue()).isEqualTo("http://a:2379,https://b:2379");
            assertThat(e.getReason()).contains("mix http:// and https://");
        });
    }

    @Test
    void aPasswordWithoutAUserNamesTheUserAndNeverShowsThePassword() {
        RUNNER.withPropertyValues("lbchannel.etcd.password=s3cret").run(context -> {
            InvalidConfigurationPropertyValueException e = invalidProperty(context.getStartupFailure());
            assertThat(e.getName()).isEqualTo("lbchannel.etcd.username");
            assertThat(e.getMessage()).doesNotContain("s3cret");
        });
    }

    @Test
    void aBackoffWhoseMaxIsBelowItsInitialNamesTheMax() {
        RUNNER.withPropertyValues("lbchannel.etcd.backoff.initial=5s", "lbchannel.etcd.backoff.max=1s").run(context -> {
            InvalidConfigurationPropertyValueException e = invalidProperty(context.getStartupFailure());
            assertThat(e.getName()).isEqualTo("lbchannel.etcd.backoff.max");
        });
    }

    @Test
    void aKeepaliveBelowEtcdsMinimumNamesTheProperty() {
        RUNNER.withPropertyValues("lbchannel.etcd.keepalive-time=1s").run(context -> {
            InvalidConfigurationPropertyValueException e = invalidProperty(context.getStartupFailure());
            assertThat(e.getName()).isEqualTo("lbchannel.etcd.keepalive-time");
            assertThat(e.getReason()).contains("at least 5s");
        });
    }

    @Test
    void propertiesBindFromYamlNames() {
        RUNNER.withPropertyValues("lbchannel.etcd.endpoints[0]=10.0.0.5:2379", "lbchannel.etcd.request-timeout=3s")
                .run(context -> assertThat(context.getBean(LbChannelEtcdProperties.class))
                        .extracting(LbChannelEtcdProperties::getEndpoints, p -> p.getRequestTimeout().toSeconds())
                        .containsExactly(List.of("10.0.0.5:2379"), 3L));
    }

    @Test
    void theEtcdAndDnsPropertiesCarryConfigurationMetadata() throws IOException {
        String all = "";
        for (Resource resource : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
            all += resource.getContentAsString(StandardCharsets.UTF_8);
        }
        for (String name : new String[] {"etcd.enabled", "etcd.endpoints", "etcd.username", "etcd.password",
            "etcd.request-timeout", "etcd.keepalive-time", "etcd.ssl.bundle", "etcd.backoff.initial", "etcd.backoff.max", "dns.refresh-interval", "dns.honor-ttl",
            "dns.min-refresh-interval", "dns.query-timeout", "dns.service-config-lookup"}) {
            assertThat(all).contains("\"lbchannel." + name + "\"");
        }
        assertThat(all).contains("as etcdctl takes them", "never sooner than min-refresh-interval");
    }

    private static InvalidConfigurationPropertyValueException invalidProperty(Throwable failure) {
        assertThat(failure).as("start-up failure").isNotNull();
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("an InvalidConfigurationPropertyValueException in %s", failure).isNotNull();
        return (InvalidConfigurationPropertyValueException) cause;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnProvider {

        static final EtcdResolverProvider PROVIDER = EtcdResolverProvider.builder().endpoints("10.9.9.9:2379").build();

        @Bean
        EtcdResolverProvider myEtcd() {
            return PROVIDER;
        }
    }

}
