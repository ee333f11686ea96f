package dev.lbchannel.samples.resolver;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.target.HostAndPort;
import io.grpc.Attributes;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves one endpoints file (see {@link EndpointsFile}): reads it when started, whenever the
 * channel asks ({@link #refresh()}, for example after a backend was lost), and every poll
 * interval. It reports a result only when the endpoints differ from what it last reported, so
 * polling an unchanged file costs the channel nothing; after an error the next good read is
 * reported whatever it holds. Host names are looked up with the system's resolver, each entry
 * becoming one endpoint with all of its addresses.
 *
 * <p>Threading: reading the file and looking names up block, so they run on the channel's
 * offload executor, one read at a time; requests that arrive during a read are served by one
 * more read. The poll timer only requests a read. A read that throws unexpectedly is reported as
 * an error and does not stop later reads. Every report is handed to the channel's serializer,
 * where the channel also calls {@link #shutdown()}, and checks there whether the resolver has been
 * shut down: so nothing is reported once {@code shutdown()} has returned, as {@link Resolver}
 * promises, without a lock.
 */
final class EndpointsFileResolver implements Resolver {

    private final Path file;
    private final int defaultPort;
    private final Duration pollInterval;
    private final ScheduledExecutorService scheduler;
    private final Executor offloadExecutor;
    private final Serializer serializer;
    /** Reads asked for and not yet covered by a read; the read loop runs while it is above zero. */
    private final AtomicInteger readRequests = new AtomicInteger();
    private volatile @Nullable ResolverListener listener;
    private volatile @Nullable ScheduledFuture<?> poll;
    // Written on the serializer, where reports check it; read elsewhere only to skip wasted reads.
    private volatile boolean shutdown;
    /** What the listener last received; touched only by the read loop, one read at a time. */
    private @Nullable List<Endpoint> reported;

    EndpointsFileResolver(Path file, int defaultPort, Duration pollInterval, ScheduledExecutorService scheduler,
            Executor offloadExecutor, Serializer serializer) {
        this.file = file;
        this.defaultPort = defaultPort;
        this.pollInterval = pollInterval;
        this.scheduler = scheduler;
        this.offloadExecutor = offloadExecutor;
        this.serializer = serializer;
    }

    @Override
    public void start(ResolverListener resolverListener) {
        if (listener != null) {
            throw new IllegalStateException("Resolver for " + file + " already started");
        }
        listener = resolverListener;
        requestRead();
        if (!pollInterval.isZero()) {
            long nanos = pollInterval.toNanos();
            poll = scheduler.scheduleWithFixedDelay(this::requestRead, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void refresh() {
        if (listener != null) {
            requestRead();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        ScheduledFuture<?> timer = poll;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void requestRead() {
        if (shutdown || readRequests.getAndIncrement() > 0) {
            return; // a read loop is running and will read once more
        }
        startLoop();
    }

    private void startLoop() {
        try {
            offloadExecutor.execute(this::readLoop);
        } catch (RejectedExecutionException e) {
            readRequests.set(0); // the channel is shutting down
        }
    }

    private void readLoop() {
        int remaining = 0;
        try {
            do {
                int covered = readRequests.get();
                try {
                    readOnce();
                } finally {
                    // Even when the read throws, or requestRead() would wait forever for this loop.
                    remaining = readRequests.addAndGet(-covered);
                }
            } while (remaining > 0);
        } finally {
            if (remaining > 0) {
                startLoop(); // a throw ended this loop with requests still to serve
            }
        }
    }

    private void readOnce() {
        ResolverListener current = listener;
        if (shutdown || current == null) {
            return;
        }
        try {
            readAndReport(current);
        } catch (RuntimeException e) {
            // A bug (ours or the listener's) or a SecurityException: report it, and keep reading.
            fail(current, "Unexpected failure resolving endpoints file " + file + ": " + e, e);
        }
    }

    private void readAndReport(ResolverListener current) {
        List<Endpoint> endpoints;
        try {
            endpoints = resolve(EndpointsFile.read(file, defaultPort));
        } catch (UnknownHostException e) {
            fail(current, "Cannot resolve a host listed in " + file + ": " + e.getMessage(), e);
            return;
        } catch (IOException e) {
            fail(current, "Cannot read endpoints file " + file + ": " + e, e);
            return;
        } catch (IllegalArgumentException e) {
            fail(current, e.getMessage(), e);
            return;
        }
        if (!endpoints.equals(reported)) {
            report(current, endpoints);
        }
    }

    private void report(ResolverListener current, List<Endpoint> endpoints) {
        reported = endpoints;
        ResolutionResult result = ResolutionResult.of(endpoints);
        serializer.execute(() -> {
            if (!shutdown) {
                current.onResult(result);
            }
        });
    }

    private void fail(ResolverListener current, @Nullable String description, Exception cause) {
        reported = null;
        Status error = Status.UNAVAILABLE.withDescription(description).withCause(cause);
        serializer.execute(() -> {
            if (!shutdown) {
                current.onError(error);
            }
        });
    }

    private static List<Endpoint> resolve(List<HostAndPort> entries) throws UnknownHostException {
        List<Endpoint> endpoints = new ArrayList<>(entries.size());
        for (HostAndPort entry : entries) {
            List<SocketAddress> addresses = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(entry.host())) {
                addresses.add(new InetSocketAddress(address, entry.port()));
            }
            endpoints.add(new Endpoint(addresses, Attributes.EMPTY));
        }
        return endpoints;
    }
}
