package dev.lbchannel.demo.traffic;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The background traffic: {@code demo.traffic.*}. */
@ConfigurationProperties("demo.traffic")
public class TrafficProperties {

    /** Whether to send background calls at all. */
    private boolean enabled = true;

    /** Calls per second, over all channels together (more than 0, at most 1000). */
    private double rate = 10;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public double getRate() {
        return rate;
    }

    public void setRate(double rate) {
        this.rate = rate;
    }
}
