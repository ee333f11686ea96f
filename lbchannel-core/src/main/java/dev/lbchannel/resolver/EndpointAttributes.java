package dev.lbchannel.resolver;

import io.grpc.Attributes;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Endpoint attribute keys that resolvers share, so a balancer or the channel can read what an
 * endpoint is without knowing which resolver reported it: the {@code kubernetes} resolver
 * (EndpointSlices) and the Spring Cloud {@code discovery} resolver set the registry's keys, the
 * {@code static} resolver {@link #AUTHORITY}. A resolver sets a key only when it knows something;
 * an absent key means "unknown", never an empty value.
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

    /**
     * The authority of connections to this endpoint, where it is not the channel's (gRPC's
     * per-address authority override): the {@code :authority} their calls carry and the name TLS
     * verifies. The channel uses it unless its own authority was set on the builder, which wins.
     * The {@code static} resolver sets it on each host-name entry that differs from the list's
     * first, so that {@code static:///a.example:443,b.example:443} verifies each host against its
     * own name.
     */
    public static final Attributes.Key<String> AUTHORITY = Attributes.Key.create("dev.lbchannel.resolver.authority");

    /**
     * Each address's {@link #AUTHORITY}, for a balancer that merges several endpoints into one
     * subchannel's address list ({@code pick_first}): an address absent from it uses the channel's.
     * Immutable.
     */
    public static final Attributes.Key<Map<SocketAddress, String>> ADDRESS_AUTHORITIES =
            Attributes.Key.create("dev.lbchannel.resolver.addressAuthorities");

    private EndpointAttributes() {
    }
}
