package dev.lbchannel.resolver;

import dev.lbchannel.target.HostAndPort;
import io.grpc.Attributes;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Resolves a {@code static} target's fixed list once. With IP literals only, it reports on
 * {@link #start} on the calling thread. With host names, it looks them up on the offload
 * executor (the system's lookup blocks) and reports from there; a name that does not resolve is
 * reported as {@code UNAVAILABLE} naming the host.
 *
 * <p>{@link #refresh()}: once a result has been reported the list is settled and refresh does
 * nothing, so literals are never re-reported and names are never looked up again. Until then
 * (after a failed lookup) refresh looks the names up again, which is how the channel's backoff
 * retry recovers from a transient failure.
 *
 * <p>Threading: the channel calls start, refresh and shutdown one at a time; a lookup finishes
 * on the offload executor. Nothing is reported once {@link #shutdown} has returned, except a
 * report the offload thread had already begun.
 */
final class StaticResolver implements Resolver {

    /**
     * One listed backend; {@code literal} is set when the host is an IP literal, {@code attributes}
     * are its endpoint's (its own {@link EndpointAttributes#AUTHORITY}, or none).
     */
    record Entry(HostAndPort hostAndPort, @Nullable InetAddress literal, Attributes attributes) {
    }

    private final String target;
    private final List<Entry> entries;
    private final Executor offloadExecutor;
    private final HostLookup hostLookup;
    private final AtomicBoolean lookingUp = new AtomicBoolean();
    private volatile @Nullable ResolverListener listener;
    private volatile boolean reported;
    private volatile boolean shutdown;

    StaticResolver(String target, List<Entry> entries, Executor offloadExecutor, HostLookup hostLookup) {
        this.target = target;
        this.entries = List.copyOf(entries);
        this.offloadExecutor = offloadExecutor;
        this.hostLookup = hostLookup;
    }

    @Override
    public void start(ResolverListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("Resolver for '" + target + "' already started");
        }
        this.listener = listener;
        if (entries.stream().allMatch(e -> e.literal() != null)) {
            resolveAndReport();
        } else {
            lookUpOffloaded();
        }
    }

    @Override
    public void refresh() {
        if (listener != null && !reported && !shutdown) {
            lookUpOffloaded();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    private void lookUpOffloaded() {
        if (!lookingUp.compareAndSet(false, true)) {
            return; // A lookup is under way; it reports.
        }
        try {
            offloadExecutor.execute(() -> {
                try {
                    resolveAndReport();
                } finally {
                    lookingUp.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            lookingUp.set(false);
            reportError(Status.UNAVAILABLE.withDescription("Cannot resolve '" + target + "': the channel is shutting down"));
        }
    }

    /** Looks the names up (blocking) and reports the list, or the first name that did not resolve. */
    private void resolveAndReport() {
        List<Endpoint> endpoints = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            HostAndPort hostAndPort = entry.hostAndPort();
            List<SocketAddress> addresses = new ArrayList<>();
            if (entry.literal() != null) {
                addresses.add(new InetSocketAddress(entry.literal(), hostAndPort.port()));
            } else {
                try {
                    for (InetAddress address : hostLookup.lookUp(hostAndPort.host())) {
                        addresses.add(new InetSocketAddress(address, hostAndPort.port()));
                    }
                } catch (UnknownHostException | RuntimeException e) {
                    reportError(Status.UNAVAILABLE.withDescription("Unable to resolve host " + hostAndPort.host()
                            + " of target '" + target + "': " + e.getMessage()).withCause(e));
                    return;
                }
            }
            endpoints.add(new Endpoint(addresses, entry.attributes()));
        }
        ResolverListener current = listener;
        if (!shutdown && current != null) {
            reported = true;
            current.onResult(ResolutionResult.of(endpoints));
        }
    }

    private void reportError(Status error) {
        ResolverListener current = listener;
        if (!shutdown && current != null) {
            current.onError(error);
        }
    }
}
