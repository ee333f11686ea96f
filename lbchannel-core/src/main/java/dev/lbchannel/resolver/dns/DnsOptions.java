package dev.lbchannel.resolver.dns;

import java.time.Duration;

/**
 * How a {@link DnsResolverProvider}'s resolvers behave; see its builder for each option.
 *
 * @param refreshInterval the period of the opt-in periodic refresh; {@link Duration#ZERO} when off
 * @param honorTtl whether to resolve again when the answer's smallest TTL runs out (opt-in)
 */
record DnsOptions(boolean serviceConfigLookup, Duration minRefreshInterval, Duration refreshInterval,
        Duration queryTimeout, boolean honorTtl) {

    boolean periodicRefresh() {
        return !refreshInterval.isZero();
    }
}
