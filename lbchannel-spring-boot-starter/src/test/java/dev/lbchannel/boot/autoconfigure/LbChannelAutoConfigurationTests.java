package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.boot.LbChannelBuilderCustomizer;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.resolver.StaticResolverProvider;
import dev.lbchannel.testing.ManualResolverProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What the auto-configuration creates, when it backs off, and which user beans win. */
@Timeout(60)
class LbChannelAutoConfigurationTests {

    static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelAutoConfiguration.class));

    @Test
    void aCustomPolicyGetsAnEmptyYamlListAsAnEmptyList() {
        List<Map<String, ?>> configs = new CopyOnWriteArrayList<>();
        BalancerProvider probe = new BalancerProvider() {
            @Override
            public String policyName() {
                return "list_probe";
            }

            @Override
            public Balancer newBalancer(BalancerHelper helper) {
                throw new UnsupportedOperationException("only its config is looked at");
            }

            @Override
            public Object parseConfig(Map<String, ?> rawConfig) {
                configs.add(rawConfig);
                return rawConfig;
            }
        };
        RUNNER.withBean("listProbe", BalancerProvider.class, () -> probe).withInitializer(Yaml.initializer("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config: [ { list_probe: { subnets: [], zone: '' } } ]
                """)).run(context -> {
                    assertThat(context.getStartupFailure()).isNull();
                    assertThat(configs).isNotEmpty().allSatisfy(config -> {
                        assertThat(config.get("subnets")).isEqualTo(List.of());
                        assertThat(config.get("zone")).isEqualTo("");
                    });
                });
    }

    @Test
    void createsOneChannelPerConfiguredName() {
        RUNNER.withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                        "lbchannel.channels.payments.target=passthrough:///127.0.0.1:2")
                .run(context -> assertThat(context.getBean(LbChannels.class).names())
                        .containsExactly("orders", "payments"));
    }

    @Test
    void channelsKeepTheirTargetAsConfigured() {
        RUNNER.withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> assertThat(context.getBean(LbChannels.class).get("orders").target())
                        .isEqualTo("static:///127.0.0.1:1"));
    }

    @Test
    void noChannelsConfiguredGivesAnEmptyLbChannels() {
        RUNNER.run(context -> assertThat(context.getBean(LbChannels.class).size()).isZero());
    }

    @Test
    void getOfAnUnknownNameListsTheConfiguredNames() {
        RUNNER.withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                        "lbchannel.channels.payments.target=static:///127.0.0.1:2")
                .run(context -> assertThatIllegalArgumentException()
                        .isThrownBy(() -> context.getBean(LbChannels.class).get("order"))
                        .withMessage("No lbchannel channel named 'order'; configured channels: orders, payments"));
    }

    @Test
    void findOfAnUnknownNameIsEmpty() {
        RUNNER.withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> assertThat(context.getBean(LbChannels.class).find("other")).isEmpty());
    }

    @Test
    void iteratesEveryChannel() {
        RUNNER.withPropertyValues("lbchannel.channels.a.target=static:///127.0.0.1:1",
                        "lbchannel.channels.b.target=static:///127.0.0.1:2")
                .run(context -> assertThat(context.getBean(LbChannels.class)).extracting(LbChannel::target)
                        .containsExactly("static:///127.0.0.1:1", "static:///127.0.0.1:2"));
    }

    @Test
    void aDisabledChannelIsNotCreated() {
        RUNNER.withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                        "lbchannel.channels.legacy.target=static:///127.0.0.1:2",
                        "lbchannel.channels.legacy.enabled=false")
                .run(context -> assertThat(context.getBean(LbChannels.class).names()).containsExactly("orders"));
    }

    @Test
    void defaultsCanDisableChannelsThatOptBackIn() {
        RUNNER.withPropertyValues("lbchannel.defaults.enabled=false",
                        "lbchannel.channels.orders.target=static:///127.0.0.1:1",
                        "lbchannel.channels.orders.enabled=true",
                        "lbchannel.channels.legacy.target=static:///127.0.0.1:2")
                .run(context -> assertThat(context.getBean(LbChannels.class).names()).containsExactly("orders"));
    }

    @Test
    void backsOffWithoutLbChannelOnTheClassPath() {
        RUNNER.withClassLoader(new FilteredClassLoader(LbChannel.class))
                .run(context -> assertThat(context).doesNotHaveBean(LbChannels.class));
    }

    @Test
    void backsOffWhenDisabled() {
        RUNNER.withPropertyValues("lbchannel.enabled=false", "lbchannel.channels.orders.target=nope://x")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LbChannels.class));
    }

    @Test
    void userLbChannelsWins() {
        RUNNER.withUserConfiguration(OwnChannels.class)
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1")
                .run(context -> assertThat(context.getBean(LbChannels.class).names()).isEmpty());
    }

    @Test
    void registriesHoldTheBuiltIns() {
        RUNNER.run(context -> {
            assertThat(context.getBean(ResolverRegistry.class).schemes()).contains("dns", "passthrough", "static");
            assertThat(context.getBean(BalancerRegistry.class).policyNames()).contains("pick_first", "round_robin");
        });
    }

    @Test
    void resolverProviderBeansJoinTheRegistry() {
        RUNNER.withBean("manual", ResolverProvider.class, () -> new ManualResolverProvider("manual"))
                .run(context -> assertThat(context.getBean(ResolverRegistry.class).schemes())
                        .contains("manual", "dns", "static"));
    }

    @Test
    void aResolverProviderBeanReplacesTheBuiltInOfItsScheme() {
        ManualResolverProvider own = new ManualResolverProvider("static");
        RUNNER.withBean("ownStatic", ResolverProvider.class, () -> own)
                .run(context -> assertThat(context.getBean(ResolverRegistry.class).get("static")).isSameAs(own));
    }

    @Test
    void aBalancerProviderBeanReplacesTheBuiltInOfItsName() {
        BalancerProvider own = new PreferredPortBalancerProvider("round_robin");
        RUNNER.withBean("ownRoundRobin", BalancerProvider.class, () -> own)
                .run(context -> assertThat(context.getBean(BalancerRegistry.class).get("round_robin")).isSameAs(own));
    }

    @Test
    void twoProvidersForOneSchemeFailStartUp() {
        RUNNER.withBean("a", ResolverProvider.class, () -> new ManualResolverProvider("manual"))
                .withBean("b", ResolverProvider.class, () -> new ManualResolverProvider("manual"))
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("Two ResolverProvider beans claim the scheme 'manual'"));
    }

    @Test
    void registriesArePerContext() {
        RUNNER.withBean("manual", ResolverProvider.class, () -> new ManualResolverProvider("manual"))
                .run(first -> RUNNER.run(second -> {
                    assertThat(first.getBean(ResolverRegistry.class).schemes()).contains("manual");
                    assertThat(second.getBean(ResolverRegistry.class).schemes()).doesNotContain("manual");
                }));
    }

    @Test
    void aUserRegistryWins() {
        ResolverRegistry own = ResolverRegistry.empty().with(new StaticResolverProvider());
        RUNNER.withBean(ResolverRegistry.class, () -> own)
                .withPropertyValues("lbchannel.channels.orders.target=dns:///localhost:1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("Unknown scheme 'dns'; registered schemes: static"));
    }

    @Test
    void customizersSeeEveryChannelByName() {
        RecordingCustomizer recording = new RecordingCustomizer();
        RUNNER.withBean(LbChannelBuilderCustomizer.class, () -> recording)
                .withPropertyValues("lbchannel.channels.a.target=static:///127.0.0.1:1",
                        "lbchannel.channels.b.target=static:///127.0.0.1:2")
                .run(context -> assertThat(recording.names).containsExactly("a", "b"));
    }

    @Test
    void aCustomizerForSomeChannelsLeavesTheOthersAlone() {
        RUNNER.withBean(LbChannelBuilderCustomizer.class,
                        () -> LbChannelBuilderCustomizer.forChannels(Set.of("b"), builder -> builder.overrideAuthority("b.example")))
                .withPropertyValues("lbchannel.channels.a.target=static:///127.0.0.1:1",
                        "lbchannel.channels.b.target=static:///127.0.0.1:2")
                .run(context -> {
                    LbChannels channels = context.getBean(LbChannels.class);
                    assertThat(channels.get("a").authority()).isEqualTo("127.0.0.1:1");
                    assertThat(channels.get("b").authority()).isEqualTo("b.example");
                });
    }

    @Test
    void aCustomizerHasTheLastWordOverProperties() {
        RUNNER.withBean(LbChannelBuilderCustomizer.class,
                        () -> LbChannelBuilderCustomizer.forAll(builder -> builder.overrideAuthority("custom.example")))
                .withPropertyValues("lbchannel.channels.a.target=static:///127.0.0.1:1",
                        "lbchannel.channels.a.authority=property.example")
                .run(context -> assertThat(context.getBean(LbChannels.class).get("a").authority())
                        .isEqualTo("custom.example"));
    }

    @Test
    void channelsAreShutDownWhenTheContextCloses() {
        LbChannel[] channel = new LbChannel[1];
        RUNNER.withPropertyValues("lbchannel.channels.a.target=static:///127.0.0.1:1")
                .run(context -> channel[0] = context.getBean(LbChannels.class).get("a"));
        assertThat(channel[0].isTerminated()).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChannels {
        @Bean
        LbChannels ownChannels() {
            return LbChannels.of(Map.of());
        }
    }

    static final class RecordingCustomizer implements LbChannelBuilderCustomizer {
        final java.util.List<String> names = new java.util.ArrayList<>();

        @Override
        public void customize(String channelName, dev.lbchannel.LbChannelBuilder builder) {
            names.add(channelName);
        }
    }
}
