package dev.lbchannel.kubernetes;

import dev.lbchannel.Backoff;
import dev.lbchannel.BackoffPolicy;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.serializer.Serializer.ScheduledHandle;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lists a Service's EndpointSlices, then watches them from the list's {@code resourceVersion},
 * and reports the merged ready endpoints ({@link SliceClaims}) whenever they change, as an
 * {@link EndpointList} derived from the last report: a slice event costs the resolver that
 * slice's endpoints and the balancers the pods that changed, not the Service's thousands. So
 * endpoints that stay keep their place and new ones come last, rather than in slice-name order.
 *
 * <p>Recovery: fabric8 re-opens a watch that drops, from the last version it saw, with its own
 * backoff ({@code watchReconnectInterval}); the channel keeps its endpoints meanwhile. When the
 * API server answers 410 Gone (the version was compacted away) the slices are listed again at
 * once, as client-go's reflector does. A failed list or watch start is retried after a backoff
 * (1 s growing to 30 s), and reported as a resolution error, which the channel records while it
 * keeps the endpoints it has.
 *
 * <p>Threading: the channel calls {@link #start} and {@link #shutdown} on its serializer, and every
 * list result and watch event hops onto that serializer too, where all the mutable state lives;
 * each carries the generation of the list it belongs to and is dropped when stale, or once shut
 * down. The blocking list and watch calls run on the offload executor. {@link #details()} reads
 * volatile fields only.
 */
final class KubernetesResolver implements Resolver {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final BackoffPolicy RETRY = new BackoffPolicy(Duration.ofSeconds(1), 1.6, 0.2,
            Duration.ofSeconds(30), Duration.ofSeconds(20));

    /**
     * What the resolver is doing, for channelz. WATCHING covers fabric8 re-opening a dropped watch
     * too: its client reconnects on its own and tells nobody until it gives up or gets a 410.
     */
    enum WatchState { IDLE, LISTING, CONNECTING, WATCHING, BACKOFF, STOPPED }

    private final KubernetesClient client;
    private final ServiceTarget target;
    private final String namespace;
    private final String description;
    private final ResolverArgs args;
    private final Serializer serializer;

    // Confined to the serializer.
    private final SliceClaims slices;
    private final Backoff backoff = new Backoff(RETRY);
    private @Nullable ResolverListener listener;
    private @Nullable Watch watch;
    private @Nullable ScheduledHandle retry;
    private @Nullable EndpointList reported;
    private long generation;
    private boolean shutdown;

    // Read by details() from any thread.
    private volatile WatchState state = WatchState.IDLE;
    private volatile @Nullable String resourceVersion;
    private volatile @Nullable Instant lastRelist;
    private final AtomicLong relists = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();

    KubernetesResolver(KubernetesClient client, ServiceTarget target, String namespace, ResolverArgs args) {
        this.client = client;
        this.target = target;
        this.slices = new SliceClaims(target);
        this.namespace = namespace;
        this.args = args;
        this.serializer = args.serializer();
        this.description = "Service " + target.service() + " in namespace " + namespace + ", port " + target.portText();
    }

    @Override
    public void start(ResolverListener listener) {
        serializer.assertInContext();
        if (this.listener != null) {
            throw new IllegalStateException("Resolver for " + description + " already started");
        }
        this.listener = listener;
        relist();
    }

    /** Pushes every change; a refresh has nothing to add, and failures are retried on their own backoff. */
    @Override
    public void refresh() {
    }

    @Override
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        if (listener == null) {
            return; // never started, as when the channel only validates its target
        }
        serializer.assertInContext();
        generation++;
        state = WatchState.STOPPED;
        cancelRetry();
        closeWatch();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", target.service());
        details.put("namespace", namespace);
        details.put("watch", state.name());
        String version = resourceVersion;
        if (version != null) {
            details.put("resourceVersion", version);
        }
        Instant relisted = lastRelist;
        if (relisted != null) {
            details.put("lastRelist", relisted.toString());
        }
        details.put("relists", relists.get());
        details.put("gone", gone.get());
        return details;
    }

    /** Drops the slices' watch and lists them afresh; the next report replaces the whole view. */
    private void relist() {
        long current = ++generation;
        cancelRetry();
        closeWatch();
        state = WatchState.LISTING;
        offload(current, () -> {
            EndpointSliceList list = client.discovery().v1().endpointSlices().inNamespace(namespace)
                    .list(options(null));
            serializer.execute(() -> listed(current, list));
        });
    }

    private void listed(long listGeneration, EndpointSliceList list) {
        if (listGeneration != generation) {
            return;
        }
        slices.relist(list.getItems());
        String version = list.getMetadata() == null ? null : list.getMetadata().getResourceVersion();
        resourceVersion = version;
        lastRelist = Instant.now();
        relists.incrementAndGet();
        report();
        state = WatchState.CONNECTING;
        offload(listGeneration, () -> {
            Watch opened = client.discovery().v1().endpointSlices().inNamespace(namespace)
                    .watch(options(version), new SliceWatcher(listGeneration));
            serializer.execute(() -> watching(listGeneration, opened));
        });
    }

    private void watching(long watchGeneration, Watch opened) {
        if (watchGeneration != generation) {
            opened.close();
            return;
        }
        watch = opened;
        state = WatchState.WATCHING;
        backoff.reset();
    }

    private void event(long eventGeneration, Watcher.Action action, EndpointSlice slice) {
        if (eventGeneration != generation) {
            return;
        }
        String version = slice.getMetadata() == null ? null : slice.getMetadata().getResourceVersion();
        if (version != null) {
            resourceVersion = version;
        }
        switch (action) {
            case ADDED, MODIFIED -> slices.update(slice);
            case DELETED -> slices.remove(slice);
            default -> {
                return; // BOOKMARK: only the version moves; ERROR arrives as onClose
            }
        }
        report();
    }

    private void watchClosed(long watchGeneration, @Nullable WatcherException cause) {
        if (watchGeneration != generation) {
            return;
        }
        watch = null;
        if (cause != null && cause.isHttpGone()) {
            gone.incrementAndGet();
            relist(); // the version we hold is gone: start over from a fresh list, as client-go does
        } else {
            failed(watchGeneration, cause != null ? cause : new IllegalStateException("the watch ended"));
        }
    }

    /** A list or watch failed: report it (the channel keeps its endpoints) and try again after a backoff. */
    private void failed(long failedGeneration, Throwable error) {
        if (failedGeneration != generation) {
            return;
        }
        if (isGone(error) && state == WatchState.CONNECTING) {
            gone.incrementAndGet();
            relist();
            return;
        }
        closeWatch();
        state = WatchState.BACKOFF;
        ResolverListener current = listener;
        if (current != null) {
            current.onError(Status.UNAVAILABLE.withDescription("Cannot watch the EndpointSlices of " + description
                    + ": " + describe(error)).withCause(error));
        }
        retry = serializer.schedule(() -> {
            if (failedGeneration == generation) {
                relist();
            }
        }, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS, args.scheduler());
    }

    private void report() {
        EndpointList endpoints = slices.endpoints(); // derived from the last: only the pods that changed
        ResolverListener current = listener;
        if (current == null || endpoints == reported) {
            return;
        }
        reported = endpoints;
        current.onResult(ResolutionResult.of(endpoints));
    }

    private ListOptions options(@Nullable String version) {
        ListOptionsBuilder options = new ListOptionsBuilder()
                .withLabelSelector(SERVICE_NAME_LABEL + "=" + target.service());
        if (version != null) {
            options.withResourceVersion(version).withAllowWatchBookmarks(true);
        }
        return options.build();
    }

    /** Runs blocking {@code work} on the offload executor; its failure comes back as {@link #failed}. */
    private void offload(long workGeneration, Runnable work) {
        try {
            args.offloadExecutor().execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    serializer.execute(() -> failed(workGeneration, e));
                }
            });
        } catch (RejectedExecutionException e) {
            failed(workGeneration, e); // the channel is shutting down; its shutdown stops the retry
        }
    }

    private void closeWatch() {
        Watch open = watch;
        watch = null;
        if (open != null) {
            // Closing sends a close frame and may wait for it: not on the serializer.
            try {
                args.offloadExecutor().execute(open::close);
            } catch (RejectedExecutionException e) {
                open.close();
            }
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
    }

    private static boolean isGone(Throwable error) {
        return error instanceof KubernetesClientException e && e.getCode() == HttpURLConnection.HTTP_GONE
                || error instanceof WatcherException w && w.isHttpGone();
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message != null ? message : error.getClass().getSimpleName();
    }

    /** Hands each watch callback to the serializer, tagged with the list it continues. */
    private final class SliceWatcher implements Watcher<EndpointSlice> {

        private final long watchGeneration;

        SliceWatcher(long watchGeneration) {
            this.watchGeneration = watchGeneration;
        }

        @Override
        public void eventReceived(Action action, EndpointSlice slice) {
            serializer.execute(() -> event(watchGeneration, action, slice));
        }

        @Override
        public void onClose(WatcherException cause) {
            serializer.execute(() -> watchClosed(watchGeneration, cause));
        }

        @Override
        public void onClose() {
            serializer.execute(() -> watchClosed(watchGeneration, null));
        }
    }
}
