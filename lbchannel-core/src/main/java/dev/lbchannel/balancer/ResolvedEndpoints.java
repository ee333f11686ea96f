package dev.lbchannel.balancer;

import dev.lbchannel.resolver.Endpoint;
import io.grpc.Attributes;
import org.jspecify.annotations.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a balancer receives on each resolution: every endpoint, the policy's parsed config and
 * the resolver's attributes.
 *
 * @param config what this policy's {@link BalancerProvider#parseConfig} returned, or
 *     {@code null} when the service config gave this policy no block
 */
public record ResolvedEndpoints(List<Endpoint> endpoints, @Nullable Object config, Attributes attributes) {

    public ResolvedEndpoints {
        endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
        requireNonNull(attributes, "attributes");
    }
}
