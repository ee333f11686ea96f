package dev.lbchannel.boot.autoconfigure.discovery;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** {@code lbchannel.discovery.*}: the {@code discovery} resolver over Spring Cloud's DiscoveryClient. */
@ConfigurationProperties("lbchannel.discovery")
public class LbChannelDiscoveryProperties {

    /**
     * Whether to register the discovery resolver (discovery:///service-id) when spring-cloud-commons
     * and a DiscoveryClient bean are present.
     */
    private boolean enabled = true;

    /**
     * How long after each look-up to ask the DiscoveryClient again, besides every HeartbeatEvent;
     * 0 for heartbeats only.
     */
    private Duration refreshInterval = DiscoveryResolverProvider.DEFAULT_REFRESH_INTERVAL;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }
}
