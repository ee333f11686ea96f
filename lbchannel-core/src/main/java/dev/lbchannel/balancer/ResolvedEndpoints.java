package dev.lbchannel.balancer;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.Attributes;
import org.jspecify.annotations.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a balancer receives on each resolution: every endpoint, the policy's parsed config and
 * the resolver's attributes.
 *
 * @param endpoints the endpoints, copied unless already immutable; when they are an
 *     {@link EndpointList}, {@link EndpointList#changesSince} tells a balancer what changed
 *     since the list it accepted last, so it need not read them all
 * @param config what this policy's {@link BalancerProvider#parseConfig} returned, or
 *     {@code null} when the service config gave this policy no block
 */
public record ResolvedEndpoints(List<Endpoint> endpoints, @Nullable Object config, Attributes attributes) {

    public ResolvedEndpoints {
        endpoints = EndpointList.immutable(requireNonNull(endpoints, "endpoints"));
        requireNonNull(attributes, "attributes");
    }
}
