package dev.lbchannel.boot.autoconfigure.kubernetes;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code lbchannel.kubernetes.*}: the {@code kubernetes} resolver. */
@ConfigurationProperties("lbchannel.kubernetes")
public class LbChannelKubernetesProperties {

    /**
     * Whether to register the kubernetes resolver (kubernetes:///service.namespace:port) when
     * lbchannel-kubernetes is on the class path.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
