package dev.lbchannel.boot.autoconfigure.dns;

import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import dev.lbchannel.resolver.dns.DnsResolverProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import java.time.Duration;
import java.util.function.Function;

/**
 * Replaces the built-in {@code dns} resolver with one configured from {@code lbchannel.dns.*}
 * (periodic refresh, TTLs, rate limit, query timeout) when any of those properties is set. An
 * application's own {@link DnsResolverProvider} bean wins. A bad value stops start-up with Boot's
 * failure analysis naming the property.
 */
@AutoConfiguration(before = LbChannelAutoConfiguration.class)
@Conditional(OnDnsPropertiesCondition.class)
@EnableConfigurationProperties(LbChannelDnsProperties.class)
public final class LbChannelDnsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(DnsResolverProvider.class)
    DnsResolverProvider lbChannelDnsResolverProvider(LbChannelDnsProperties properties) {
        DnsResolverProvider.Builder builder = DnsResolverProvider.builder()
                .honorTtl(properties.isHonorTtl())
                .serviceConfigLookup(properties.isServiceConfigLookup());
        set("refresh-interval", properties.getRefreshInterval(), builder::refreshInterval);
        set("min-refresh-interval", properties.getMinRefreshInterval(), builder::minRefreshInterval);
        set("query-timeout", properties.getQueryTimeout(), builder::queryTimeout);
        return builder.build();
    }

    private static void set(String name, Duration value, Function<Duration, DnsResolverProvider.Builder> option) {
        try {
            option.apply(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("lbchannel.dns." + name, value, e.getMessage());
        }
    }
}
