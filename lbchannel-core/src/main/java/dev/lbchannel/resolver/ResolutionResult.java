package dev.lbchannel.resolver;

import io.grpc.Attributes;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a resolver found: the endpoints and, when the resolver supplies one, the service config
 * in gRPC's JSON shape (or the error that kept it from reading one).
 *
 * @param endpoints the endpoints, copied unless already immutable; an {@link EndpointList}
 *     derived from the last result lets the balancers apply only the change
 * @param serviceConfig the service config as parsed JSON, or {@code null} when the resolver
 *     has none (the channel then uses its default)
 * @param serviceConfigError set when the resolver found a config it could not read; the channel
 *     keeps its last good config
 */
public record ResolutionResult(
        List<Endpoint> endpoints,
        @Nullable Map<String, ?> serviceConfig,
        @Nullable Status serviceConfigError,
        Attributes attributes) {

    public ResolutionResult {
        endpoints = EndpointList.immutable(requireNonNull(endpoints, "endpoints"));
        requireNonNull(attributes, "attributes");
    }

    /** A result with only endpoints. */
    public static ResolutionResult of(List<Endpoint> endpoints) {
        return new ResolutionResult(endpoints, null, null, Attributes.EMPTY);
    }
}
