package dev.lbchannel.demo.resolver;

import dev.lbchannel.demo.backend.Backends;
import dev.lbchannel.demo.backend.GreeterBackend;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverListener;

import java.util.List;

/**
 * Reports the demo's backends, one endpoint each, in id order. The backends keep their ports for
 * the application's life, so one report on {@link #start} is the whole truth and
 * {@link #refresh()} has nothing new to say. The channel calls it from its serializer; it reports
 * on the calling thread, since nothing here blocks.
 */
final class DemoResolver implements Resolver {

    private final Backends backends;

    DemoResolver(Backends backends) {
        this.backends = backends;
    }

    @Override
    public void start(ResolverListener listener) {
        List<Endpoint> endpoints = backends.all().stream()
                .map(GreeterBackend::address)
                .map(Endpoint::of)
                .toList();
        listener.onResult(ResolutionResult.of(endpoints));
    }

    @Override
    public void shutdown() {
        // Nothing runs between reports.
    }
}
