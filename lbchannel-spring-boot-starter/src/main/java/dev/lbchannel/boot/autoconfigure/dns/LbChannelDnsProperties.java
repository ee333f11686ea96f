package dev.lbchannel.boot.autoconfigure.dns;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code lbchannel.dns.*} properties: how the {@code dns} resolver re-resolves, for every
 * channel with a {@code dns} target. Bound once at start-up; not thread-safe.
 */
@ConfigurationProperties("lbchannel.dns")
public class LbChannelDnsProperties {

    /** Resolve each name again this long after every resolution, so round_robin picks up new addresses without a failure to prompt it; 0 turns it off. */
    private Duration refreshInterval = Duration.ZERO;

    /** Resolve each name again when the smallest TTL of its last answer runs out (never sooner than min-refresh-interval). */
    private boolean honorTtl;

    /** The least time between the starts of two resolutions that a connection failure or a TTL asks for. */
    private Duration minRefreshInterval = Duration.ofSeconds(30);

    /** How long to wait for one DNS answer. */
    private Duration queryTimeout = Duration.ofSeconds(5);

    /** Whether to read the service config from the TXT records of _grpc_config.<host> (gRFC A2). */
    private boolean serviceConfigLookup = true;

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public boolean isHonorTtl() {
        return honorTtl;
    }

    public void setHonorTtl(boolean honorTtl) {
        this.honorTtl = honorTtl;
    }

    public Duration getMinRefreshInterval() {
        return minRefreshInterval;
    }

    public void setMinRefreshInterval(Duration minRefreshInterval) {
        this.minRefreshInterval = minRefreshInterval;
    }

    public Duration getQueryTimeout() {
        return queryTimeout;
    }

    public void setQueryTimeout(Duration queryTimeout) {
        this.queryTimeout = queryTimeout;
    }

    public boolean isServiceConfigLookup() {
        return serviceConfigLookup;
    }

    public void setServiceConfigLookup(boolean serviceConfigLookup) {
        this.serviceConfigLookup = serviceConfigLookup;
    }
}
