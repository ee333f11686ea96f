package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverListener;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a {@code dns} target whose host is an IP literal resolves to: that one address, reported
 * on {@link #start} without any query (a target such as {@code 127.0.0.1:50051} falls back to
 * {@code dns:///127.0.0.1:50051}). A literal never changes, so {@link #refresh} does nothing.
 * Called from the channel's serializer; reports on the calling thread.
 */
final class LiteralResolver implements Resolver {

    private final InetSocketAddress address;

    LiteralResolver(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public void start(ResolverListener listener) {
        listener.onResult(ResolutionResult.of(List.of(Endpoint.of(address))));
    }

    @Override
    public void shutdown() {
    }
}
