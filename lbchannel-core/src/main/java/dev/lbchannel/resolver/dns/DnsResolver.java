package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.resolver.dns.TxtServiceConfig.Selection;
import io.grpc.Attributes;
import io.grpc.Status;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Resolves one host through DNS and reports one endpoint per address, with the service config of
 * its TXT records (see {@link TxtServiceConfig}). Every resolution is reported, changed or not.
 *
 * <p>Re-resolution: {@link #refresh()} resolves at once unless the last resolution started less
 * than {@code minRefreshInterval} ago; then it resolves when that window ends. Refreshes inside a
 * window, or while a resolution runs, are coalesced into that one deferred resolution, never
 * dropped. With a {@code refreshInterval} the host is also resolved that long after every
 * resolution ends, so a balancer sees new backends without a failure to prompt it. With
 * {@code honorTtl} it is resolved again when the answer's smallest TTL runs out (sooner than the
 * interval, if that is shorter), but never sooner than {@code minRefreshInterval} after the last
 * resolution started.
 *
 * <p>Threading: the channel calls {@link #start}, {@link #refresh} and {@link #shutdown} from its
 * serializer; they only post commands to one event loop of the channel, where all the state
 * lives and where Netty completes the queries. Timers wait on the channel's scheduler and then
 * hop onto the loop. Nothing blocks the serializer or the loop: the DNS client is built and the
 * local host name looked up on the offload executor. Nothing is reported once {@link #shutdown}
 * has returned, except a report that another thread had already begun.
 */
final class DnsResolver implements Resolver {

    private final String target;
    private final String host;
    private final int port;
    private final @Nullable InetSocketAddress server;
    private final DnsOptions options;
    private final ResolverArgs args;
    private final EventLoop loop;
    /** gRFC A2's per-client random number for a choice's {@code percentage}, drawn once. */
    private final int percentageDraw = ThreadLocalRandom.current().nextInt(100);
    private volatile @Nullable ResolverListener listener;
    private volatile boolean shutdown;

    // Confined to the loop.
    private final LoopTimer deferredRefresh;
    private final LoopTimer scheduledRefresh;
    private @Nullable DnsLookup lookup;
    private CompletableFuture<@Nullable String> localHostName = CompletableFuture.completedFuture(null);
    private boolean resolving;
    /** Whether the last report carried a config from TXT; read by lookup callbacks off the loop. */
    private volatile boolean hasTxtConfig;
    private boolean refreshRequested;
    private long lastStartNanos;

    DnsResolver(String target, String host, int port, @Nullable InetSocketAddress server, DnsOptions options,
            ResolverArgs args) {
        this.target = target;
        this.host = host;
        this.port = port;
        this.server = server;
        this.options = options;
        this.args = args;
        this.loop = args.eventLoopGroup().next();
        this.deferredRefresh = new LoopTimer(args.scheduler(), loop);
        this.scheduledRefresh = new LoopTimer(args.scheduler(), loop);
    }

    @Override
    public void start(ResolverListener listener) {
        requireNonNull(listener, "listener");
        if (this.listener != null) {
            throw new IllegalStateException("Resolver for '" + target + "' already started");
        }
        this.listener = listener;
        if (shutdown) {
            return;
        }
        try {
            CompletableFuture<@Nullable String> hostName = options.serviceConfigLookup()
                    ? CompletableFuture.supplyAsync(DnsResolver::lookUpLocalHostName, args.offloadExecutor())
                    : CompletableFuture.completedFuture(null);
            args.offloadExecutor().execute(() -> createLookup(hostName));
        } catch (RejectedExecutionException e) {
            report(Status.UNAVAILABLE.withDescription("Cannot resolve '" + target + "': the channel is shutting down"));
        }
    }

    /** On the offload executor: the first DNS client of a JVM reads the system's resolver files. */
    private void createLookup(CompletableFuture<@Nullable String> hostName) {
        DnsLookup created;
        try {
            created = DnsLookup.create(loop, server, options.queryTimeout());
        } catch (RuntimeException e) {
            report(Status.UNAVAILABLE.withDescription("Cannot resolve '" + target + "': no DNS client: " + e)
                    .withCause(e));
            return;
        }
        onLoop(() -> started(created, hostName), created::close);
    }

    private void started(DnsLookup created, CompletableFuture<@Nullable String> hostName) {
        if (shutdown) {
            created.close();
            return;
        }
        lookup = created;
        localHostName = hostName;
        resolveNow();
    }

    @Override
    public void refresh() {
        onLoop(this::refreshOnLoop, () -> { });
    }

    private void refreshOnLoop() {
        if (shutdown || lookup == null) {
            return; // Not started yet: the first resolution is still to come.
        }
        if (resolving) {
            refreshRequested = true;
            return;
        }
        if (deferredRefresh.isPending()) {
            return;
        }
        long waitNanos = lastStartNanos + options.minRefreshInterval().toNanos() - System.nanoTime();
        if (waitNanos <= 0) {
            resolveNow();
        } else {
            deferredRefresh.schedule(this::resolveNow, waitNanos);
        }
    }

    private void resolveNow() {
        DnsLookup current = lookup;
        if (shutdown || current == null) {
            return;
        }
        // This resolution answers any pending refresh and restarts the periodic wait.
        deferredRefresh.cancel();
        scheduledRefresh.cancel();
        resolving = true;
        lastStartNanos = System.nanoTime();
        CompletableFuture<DnsLookup.Answer> addresses = current.addresses(host);
        CompletableFuture<Selection> config = options.serviceConfigLookup()
                ? serviceConfig(current) : CompletableFuture.completedFuture(Selection.NONE);
        CompletableFuture.allOf(addresses, config)
                .whenComplete((ignored, error) -> onLoop(() -> resolved(addresses, config), () -> { }));
    }

    private CompletableFuture<Selection> serviceConfig(DnsLookup current) {
        String name = TxtServiceConfig.NAME_PREFIX + host;
        CompletableFuture<@Nullable String> hostName = localHostName;
        return current.txt(name)
                .thenCompose(records -> TxtServiceConfig.hasConfigRecord(records)
                        ? hostName.thenApply(h -> TxtServiceConfig.select(name, records, percentageDraw, h))
                        : CompletableFuture.completedFuture(Selection.NONE))
                .exceptionally(e -> Selection.lookupFailed(name, describe(e), hasTxtConfig));
    }

    private void resolved(CompletableFuture<DnsLookup.Answer> addresses, CompletableFuture<Selection> config) {
        resolving = false;
        if (shutdown) {
            return;
        }
        if (addresses.isCompletedExceptionally()) {
            Throwable cause = unwrap(addresses.handle((v, e) -> e).join());
            report(Status.UNAVAILABLE.withDescription("Unable to resolve host " + host + " (" + target + "): "
                    + describe(cause)).withCause(cause));
        } else {
            reportResult(addresses.join().addresses(), config.join());
        }
        scheduleNext(addresses.isCompletedExceptionally() ? TtlRecorder.NONE : addresses.join().ttlSeconds());
        if (refreshRequested) {
            refreshRequested = false;
            refreshOnLoop();
        }
    }

    /**
     * Schedules the next resolution that nothing asks for: a periodic interval after this one
     * ended, or (with {@code honorTtl}) when the answer's smallest TTL runs out, whichever comes
     * first; a TTL never brings a resolution sooner than the refresh rate limit allows.
     */
    private void scheduleNext(long ttlSeconds) {
        long delay = options.periodicRefresh() ? options.refreshInterval().toNanos() : Long.MAX_VALUE;
        if (options.honorTtl() && ttlSeconds != TtlRecorder.NONE) {
            long rateLimited = lastStartNanos + options.minRefreshInterval().toNanos() - System.nanoTime();
            delay = Math.min(delay, Math.max(TimeUnit.SECONDS.toNanos(ttlSeconds), rateLimited));
        }
        if (delay != Long.MAX_VALUE) {
            scheduledRefresh.schedule(this::resolveNow, delay);
        }
    }

    private void reportResult(List<InetAddress> addresses, Selection config) {
        if (addresses.isEmpty()) {
            report(Status.UNAVAILABLE.withDescription("Host " + host + " (" + target + ") has no addresses"));
            return;
        }
        List<Endpoint> endpoints = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            endpoints.add(Endpoint.of(new InetSocketAddress(address, port)));
        }
        if (config.error() == null) {
            hasTxtConfig = config.serviceConfig() != null;
        }
        ResolverListener current = listener;
        if (!shutdown && current != null) {
            current.onResult(new ResolutionResult(endpoints, config.serviceConfig(), config.error(), Attributes.EMPTY));
        }
    }

    private void report(Status error) {
        ResolverListener current = listener;
        if (!shutdown && current != null) {
            current.onError(error);
        }
    }

    @Override
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        if (listener == null) {
            return; // Never started, as when the channel only validates its target.
        }
        onLoop(() -> {
            deferredRefresh.cancel();
            scheduledRefresh.cancel();
            if (lookup != null) {
                lookup.close();
                lookup = null;
            }
        }, () -> { });
    }

    /** Runs {@code task} on the loop; runs {@code ifRejected} here when the loop is shutting down. */
    private void onLoop(Runnable task, Runnable ifRejected) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }

    private static @Nullable String lookUpLocalHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | RuntimeException e) {
            return null; // Choices that name client hosts then never apply.
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The cause's message and that of its own cause, which for Netty says what timed out. */
    private static String describe(Throwable error) {
        Throwable e = unwrap(error);
        String text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += ": " + cause.getMessage();
        }
        return text;
    }
}
