package dev.lbchannel.boot.autoconfigure.discovery;

import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.serializer.Serializer.ScheduledHandle;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Asks a {@link DiscoveryClient} for one service's instances and reports them
 * ({@link InstanceEndpoints}) when they, their metadata or their service config changed: at start,
 * on every heartbeat ({@link #heartbeat()}, from Spring Cloud's {@code HeartbeatEvent}), every
 * {@code refreshInterval} after the last fetch, and when the channel asks ({@link #refresh()}).
 * Requests that come while a fetch runs are coalesced into one more fetch after it.
 * Each report's endpoints are an {@link EndpointList} derived from the last report's
 * ({@link EndpointList#reconcile}), so the balancers apply only the instances that changed;
 * instances that stay keep their place and new ones come last.
 *
 * <p>Threading: the channel calls {@link #start}, {@link #refresh} and {@link #shutdown} on its
 * serializer, where all mutable state lives; a heartbeat hops onto it. The client's
 * {@code getInstances} blocks (a registry call, a lock, a name lookup), so it runs on the channel's
 * offload executor, and its answer hops back onto the serializer, where it is dropped once shut
 * down. {@link #details()} reads volatile fields only.
 */
final class DiscoveryResolver implements Resolver {

    private final DiscoveryClient client;
    private final String serviceId;
    private final Duration refreshInterval;
    private final ResolverArgs args;
    private final Serializer serializer;
    private final Consumer<DiscoveryResolver> onShutdown;

    // Confined to the serializer.
    private @Nullable ResolverListener listener;
    private @Nullable ResolutionResult reported;
    private @Nullable EndpointList reportedEndpoints;
    private @Nullable ScheduledHandle nextFetch;
    private boolean fetching;
    private boolean fetchAgain;
    private boolean shutdown;

    // Read by details() from any thread.
    private volatile int instances = -1;
    private volatile @Nullable Instant lastFetch;
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();

    DiscoveryResolver(DiscoveryClient client, String serviceId, Duration refreshInterval, ResolverArgs args,
            Consumer<DiscoveryResolver> onShutdown) {
        this.client = client;
        this.serviceId = serviceId;
        this.refreshInterval = refreshInterval;
        this.args = args;
        this.serializer = args.serializer();
        this.onShutdown = onShutdown;
    }

    @Override
    public void start(ResolverListener listener) {
        serializer.assertInContext();
        if (this.listener != null) {
            throw new IllegalStateException("Resolver for discovery:///" + serviceId + " already started");
        }
        this.listener = listener;
        fetch();
    }

    @Override
    public void refresh() {
        serializer.assertInContext();
        fetch();
    }

    /** A registry heartbeat: the instances may have changed. Any thread. */
    void heartbeat() {
        heartbeats.incrementAndGet();
        serializer.execute(this::fetch);
    }

    @Override
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        onShutdown.accept(this);
        if (listener == null) {
            return; // never started, as when the channel only validates its target
        }
        serializer.assertInContext();
        cancelNextFetch();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("serviceId", serviceId);
        details.put("instances", instances);
        Instant fetched = lastFetch;
        if (fetched != null) {
            details.put("lastFetch", fetched.toString());
        }
        details.put("fetches", fetches.get());
        details.put("heartbeats", heartbeats.get());
        return details;
    }

    private void fetch() {
        if (shutdown || listener == null) {
            return;
        }
        if (fetching) {
            fetchAgain = true;
            return;
        }
        fetching = true;
        cancelNextFetch();
        try {
            args.offloadExecutor().execute(this::fetchOffloaded);
        } catch (RejectedExecutionException e) {
            fetching = false; // the channel is shutting down
        }
    }

    /** On the offload executor: the blocking part. */
    private void fetchOffloaded() {
        ResolutionResult result;
        Status error = null;
        int count = -1;
        try {
            List<ServiceInstance> found = client.getInstances(serviceId);
            count = found.size();
            result = InstanceEndpoints.resolve(serviceId, found);
        } catch (RuntimeException e) {
            result = null;
            error = Status.UNAVAILABLE.withDescription("DiscoveryClient failed to list the instances of service '"
                    + serviceId + "': " + e.getClass().getSimpleName()).withCause(e);
        }
        ResolutionResult fetched = result;
        Status failure = error;
        int found = count;
        serializer.execute(() -> fetched(fetched, failure, found));
    }

    private void fetched(@Nullable ResolutionResult result, @Nullable Status error, int found) {
        fetching = false;
        ResolverListener current = listener;
        if (shutdown || current == null) {
            return;
        }
        fetches.incrementAndGet();
        lastFetch = Instant.now();
        if (result != null) {
            instances = found;
            // Derived from the last report: an instance that comes or goes costs the balancers that one endpoint.
            ResolutionResult reconciled = new ResolutionResult(EndpointList.reconcile(reportedEndpoints, result.endpoints()),
                    result.serviceConfig(), result.serviceConfigError(), result.attributes());
            if (!same(reconciled, reported)) {
                reported = reconciled;
                reportedEndpoints = (EndpointList) reconciled.endpoints();
                current.onResult(reconciled);
            }
        } else if (error != null) {
            current.onError(error);
        }
        if (fetchAgain) {
            fetchAgain = false;
            fetch();
        } else if (!refreshInterval.isZero()) {
            nextFetch = serializer.schedule(this::fetch, refreshInterval.toNanos(), TimeUnit.NANOSECONDS,
                    args.scheduler());
        }
    }

    /**
     * Equal results: reconciled endpoints are the same list when unchanged; {@code Status} has no
     * value equality, so a config error compares by its description.
     */
    private static boolean same(ResolutionResult a, @Nullable ResolutionResult b) {
        return b != null && a.endpoints() == b.endpoints() && Objects.equals(a.serviceConfig(), b.serviceConfig())
                && Objects.equals(describe(a.serviceConfigError()), describe(b.serviceConfigError()));
    }

    private static @Nullable String describe(@Nullable Status status) {
        return status == null ? null : status.getCode() + ": " + status.getDescription();
    }

    private void cancelNextFetch() {
        if (nextFetch != null) {
            nextFetch.cancel();
            nextFetch = null;
        }
    }
}
