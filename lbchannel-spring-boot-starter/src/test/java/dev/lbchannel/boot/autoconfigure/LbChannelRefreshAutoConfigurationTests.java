package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.LbChannels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which refresh beans exist with and without Spring Cloud, and when the application runs its own channels. */
@Timeout(60)
class LbChannelRefreshAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, LbChannelAutoConfiguration.class,
                    LbChannelRefreshAutoConfiguration.class))
            .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1");

    @Test
    void withSpringCloudTheEnvironmentChangeEventRefreshes() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(LbChannelsRefresher.class);
            assertThat(context).hasSingleBean(EnvironmentChangeRefresh.class);
        });
    }

    @Test
    void withoutSpringCloudTheRefresherIsTheHook() {
        runner.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(LbChannelsRefresher.class);
            assertThat(context).doesNotHaveBean(EnvironmentChangeRefresh.class);
        });
    }

    @Test
    void anApplicationsOwnChannelsAreNotRefreshed() {
        runner.withBean(LbChannels.class, () -> LbChannels.of(Map.of())).run(context -> {
            assertThat(context).doesNotHaveBean(LbChannelsRefresher.class);
            assertThat(context).doesNotHaveBean(EnvironmentChangeRefresh.class);
        });
    }

    @Test
    void onlyKeysUnderLbchannelTouchTheChannels() {
        assertThat(EnvironmentChangeRefresh.touchesChannels(Set.of("lbchannel.channels.a.target"))).isTrue();
        assertThat(EnvironmentChangeRefresh.touchesChannels(Set.of("LBCHANNEL_CHANNELS_A_TARGET"))).isTrue();
        assertThat(EnvironmentChangeRefresh.touchesChannels(Set.of("spring.application.name", "lbchannelx"))).isFalse();
    }
}
