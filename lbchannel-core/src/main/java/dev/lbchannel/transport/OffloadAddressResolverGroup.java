package dev.lbchannel.transport;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Looks up the host name of an unresolved address (a {@code passthrough} target's) for Netty's
 * {@code Bootstrap} without blocking the event loop: the system lookup runs on the channel's
 * offload executor and completes a promise of the loop, whose listeners (the connect) then run on
 * the loop. Netty's default resolver would call {@code InetAddress.getByName} on the loop itself.
 *
 * <p>Thread-safe and stateless but for the executor.
 */
final class OffloadAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    /**
     * Test seam: hears each host name on the thread that looks it up, just before it does. The
     * channel builds its transports itself, so a test has no other way to see that thread.
     */
    static volatile @Nullable Consumer<String> lookupObserver;

    private final Executor offloadExecutor;

    OffloadAddressResolverGroup(Executor offloadExecutor) {
        this.offloadExecutor = requireNonNull(offloadExecutor, "offloadExecutor");
    }

    /**
     * A new resolver for every connection, not one cached per loop as the superclass does: its
     * cache keeps a listener on each loop's termination until that loop ends, and channels come
     * and go over shared loops that outlive them. A resolver here is two small objects.
     */
    @Override
    public AddressResolver<InetSocketAddress> getResolver(EventExecutor loop) {
        return newResolver(loop);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new OffloadNameResolver(loop).asAddressResolver();
    }

    private <T> void lookUp(String host, Promise<T> promise, Function<InetAddress[], T> result) {
        try {
            offloadExecutor.execute(() -> {
                try {
                    Consumer<String> observer = lookupObserver;
                    if (observer != null) {
                        observer.accept(host);
                    }
                    promise.trySuccess(result.apply(InetAddress.getAllByName(host)));
                } catch (UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(e); // the channel is shutting down; the connect fails with this cause
        }
    }

    /** Netty's name resolver contract, answered on the offload executor. */
    private final class OffloadNameResolver extends InetNameResolver {

        OffloadNameResolver(EventExecutor loop) {
            super(loop);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            lookUp(host, promise, addresses -> addresses[0]);
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            lookUp(host, promise, Arrays::asList);
        }
    }
}
