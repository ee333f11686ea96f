package dev.lbchannel.resolver;

import java.util.List;

/**
 * Reports one endpoint, fixed when the target was parsed, once on {@link #start}: no service
 * config, nothing to refresh. The {@code passthrough} and {@code unix} schemes resolve this way.
 * Immutable.
 */
record FixedEndpointResolver(Endpoint endpoint) implements Resolver {

    @Override
    public void start(ResolverListener listener) {
        listener.onResult(ResolutionResult.of(List.of(endpoint)));
    }

    @Override
    public void shutdown() {
    }
}
