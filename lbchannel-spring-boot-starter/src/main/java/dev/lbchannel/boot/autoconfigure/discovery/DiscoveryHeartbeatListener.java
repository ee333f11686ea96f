package dev.lbchannel.boot.autoconfigure.discovery;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;

/**
 * Passes Spring Cloud's {@link HeartbeatEvent} (a registry client saw its catalog change, or
 * polled it) to the discovery resolvers, which fetch again off the publishing thread.
 */
final class DiscoveryHeartbeatListener implements ApplicationListener<HeartbeatEvent> {

    /** Absent when the application replaced the resolver with one of another type. */
    private final ObjectProvider<DiscoveryResolverProvider> provider;

    DiscoveryHeartbeatListener(ObjectProvider<DiscoveryResolverProvider> provider) {
        this.provider = provider;
    }

    @Override
    public void onApplicationEvent(HeartbeatEvent event) {
        provider.ifAvailable(DiscoveryResolverProvider::heartbeat);
    }
}
