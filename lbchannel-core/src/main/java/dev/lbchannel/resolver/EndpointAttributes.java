package dev.lbchannel.resolver;

import io.grpc.Attributes;

import java.util.List;
import java.util.Map;

/**
 * Endpoint attribute keys that registry resolvers share, so a balancer can read where an endpoint
 * is without knowing which registry reported it: the {@code kubernetes} resolver (EndpointSlices)
 * and the Spring Cloud {@code discovery} resolver set them. A resolver sets a key only when the
 * registry says something; an absent key means "unknown", never an empty value.
 */
public final class EndpointAttributes {

    /** The zone the endpoint runs in (Kubernetes' {@code topology.kubernetes.io/zone}, an instance's zone). */
    public static final Attributes.Key<String> ZONE = Attributes.Key.create("dev.lbchannel.resolver.zone");

    /**
     * The zones whose clients the registry would have use this endpoint (Kubernetes' topology-aware
     * routing hints, {@code hints.forZones}), in the order given; immutable.
     */
    public static final Attributes.Key<List<String>> FOR_ZONES =
            Attributes.Key.create("dev.lbchannel.resolver.forZones");

    /**
     * The registry's metadata for the endpoint (a discovery instance's metadata), immutable. It may
     * hold values that must not be shown: channelz, metrics and logs never print it.
     */
    public static final Attributes.Key<Map<String, String>> METADATA =
            Attributes.Key.create("dev.lbchannel.resolver.metadata");

    private EndpointAttributes() {
    }
}
