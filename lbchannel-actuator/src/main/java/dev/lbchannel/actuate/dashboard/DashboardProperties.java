package dev.lbchannel.actuate.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code lbchannel.dashboard.*} properties: whether the channelz dashboard is served, where,
 * and how often it refreshes. Bound once at start-up; not thread-safe.
 */
@ConfigurationProperties("lbchannel.dashboard")
public class DashboardProperties {

    /** Whether to serve the channelz dashboard page; it reads the channelz actuator endpoint. */
    private boolean enabled;

    /** Path of the dashboard page, below the application's servlet mapping; its scripts and styles live under it. */
    private String path = "/lbchannel/dashboard";

    /** How often the page reads channelz again; at least 100ms. */
    private Duration refreshInterval = Duration.ofSeconds(1);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }
}
