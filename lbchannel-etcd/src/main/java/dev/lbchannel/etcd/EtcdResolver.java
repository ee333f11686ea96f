package dev.lbchannel.etcd;

import dev.lbchannel.Backoff;
import dev.lbchannel.etcd.api.AuthenticateResponse;
import dev.lbchannel.etcd.api.RangeResponse;
import dev.lbchannel.etcd.api.WatchCreateRequest;
import dev.lbchannel.etcd.api.WatchRequest;
import dev.lbchannel.etcd.api.WatchResponse;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverListener;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.serializer.Serializer.ScheduledHandle;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * Follows the endpoints registered under one prefix in etcd: lists the prefix (Range), reports
 * the list, then watches the prefix from the list's revision + 1 and reports each change. When
 * the watch fails (etcd restarts, the connection drops) it waits a backoff and watches again from
 * the last revision it saw, so nothing that changed meanwhile is missed and nothing is listed
 * twice. When etcd has compacted that revision away, it cancels the watch saying so; then the
 * resolver lists again and watches from the new list's revision. A failed list is retried after a
 * backoff. While etcd is unreachable the channel keeps the last reported endpoints: failures go
 * to {@link ResolverListener#onError}, which never clears them. Each report is an
 * {@link EndpointList} derived from the last ({@link Registrations}), so a key put or deleted
 * costs the resolver O(1) and the balancers one endpoint; endpoints that stay keep their
 * place, new ones come last.
 *
 * <p>Threading: every state change runs on the channel's serializer ({@link ResolverArgs#serializer()}):
 * {@link #start}, {@link #refresh} and {@link #shutdown} post to it, and the etcd stubs' callbacks
 * (on the etcd channel's executor) hop into it and drop themselves if their attempt is no longer
 * current. Nothing blocks: the stubs are asynchronous, and backoff waits on the channel's
 * scheduler. {@link #details()} reads volatile fields only.
 */
final class EtcdResolver implements Resolver {

    private static final Logger logger = Logger.getLogger(EtcdResolver.class.getName());

    /** What the resolver is doing, for channelz. */
    enum Phase { STARTING, LISTING, WATCHING, BACKOFF, SHUT_DOWN }

    private final String target;
    private final KeyPrefix prefix;
    private final EtcdServers servers;
    private final EtcdOptions options;
    private final ResolverArgs args;
    private final Serializer serializer;
    private final Backoff backoff;
    private final Registrations registrations;

    // Confined to the serializer.
    private @Nullable ResolverListener listener;
    private @Nullable EtcdConnection connection;
    private @Nullable ClientCallStreamObserver<WatchRequest> watch;
    private @Nullable ScheduledHandle retry;
    /** Identifies the current list or watch; a callback of an earlier one is stale. */
    private long attempt;
    /** Whether a list has succeeded, so that a new watch can resume from {@link #revision}. */
    private boolean listed;
    /** Set by {@link #shutdown()} at once, so that a report already queued in the serializer is dropped. */
    private volatile boolean shutdown;

    // Written on the serializer, read by details() from any thread.
    private volatile Phase phase = Phase.STARTING;
    private volatile long revision;
    private volatile int keys;
    private volatile long lists;
    private volatile long compactions;
    private volatile @Nullable Instant lastList;

    EtcdResolver(String target, KeyPrefix prefix, EtcdServers servers, EtcdOptions options, ResolverArgs args) {
        this.target = target;
        this.prefix = prefix;
        this.servers = servers;
        this.options = options;
        this.args = args;
        this.serializer = args.serializer();
        this.backoff = new Backoff(options.backoff());
        this.registrations = new Registrations(target);
    }

    @Override
    public void start(ResolverListener listener) {
        requireNonNull(listener, "listener");
        serializer.execute(() -> {
            if (this.listener != null) {
                throw new IllegalStateException("Resolver for '" + target + "' already started");
            }
            this.listener = listener;
            if (shutdown) {
                return;
            }
            try {
                connection = EtcdConnection.open(servers, options);
            } catch (RuntimeException e) {
                listener.onError(Status.UNAVAILABLE.withDescription("Cannot reach etcd for '" + target + "': " + e)
                        .withCause(e));
                return;
            }
            list();
        });
    }

    /** Nothing to do: the watch pushes every change, and a broken watch is retried on its own. */
    @Override
    public void refresh() {
    }

    @Override
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        phase = Phase.SHUT_DOWN;
        serializer.execute(() -> {
            attempt++;
            cancelRetry();
            cancelWatch("resolver shut down");
            if (connection != null) {
                connection.shutdown();
                connection = null;
            }
        });
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("prefix", prefix.name() + "/");
        details.put("etcd", servers.names());
        details.put("watch", phase.name());
        details.put("revision", revision);
        details.put("keys", keys);
        details.put("lists", lists);
        details.put("compactions", compactions);
        Instant last = lastList;
        if (last != null) {
            details.put("lastList", last.toString());
        }
        return Collections.unmodifiableMap(details);
    }

    /** Lists the prefix, after authenticating when credentials are set. */
    private void list() {
        long mine = ++attempt;
        phase = Phase.LISTING;
        authenticated(mine, () -> requireNonNull(connection, "connection")
                .range(prefix, unary(mine, "listing the prefix failed", this::listed)));
    }

    /**
     * Runs {@code next} at once, or, with credentials, once a fresh token has come: etcd's tokens
     * expire, so every list and every resumed watch asks for one.
     */
    private void authenticated(long mine, Runnable next) {
        if (!options.hasCredentials()) {
            next.run();
            return;
        }
        EtcdConnection etcd = requireNonNull(connection, "connection");
        etcd.authenticate(unary(mine, "authenticating as " + options.username() + " failed",
                (AuthenticateResponse response) -> {
                    etcd.token(response.getToken());
                    next.run();
                }));
    }

    private void listed(RangeResponse response) {
        registrations.replace(response.getKvsList());
        revision = response.getHeader().getRevision();
        listed = true;
        lists++;
        lastList = Instant.now();
        report();
        watch();
    }

    /** Watches the prefix from the revision after the last one seen. */
    private void watch() {
        long mine = ++attempt;
        EtcdConnection etcd = requireNonNull(connection, "connection");
        ClientCallStreamObserver<WatchRequest> stream = etcd.watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
                inContext(mine, () -> watched(response));
            }

            @Override
            public void onError(Throwable error) {
                inContext(mine, () -> failed("the watch failed", Status.fromThrowable(error)));
            }

            @Override
            public void onCompleted() {
                inContext(mine, () -> failed("the watch ended", Status.UNAVAILABLE.withDescription("etcd closed the stream")));
            }
        });
        watch = stream;
        stream.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(prefix.key())
                .setRangeEnd(prefix.rangeEnd())
                .setStartRevision(revision + 1)
                .setProgressNotify(true)).build());
    }

    private void watched(WatchResponse response) {
        if (response.getCompactRevision() != 0) {
            // gRPC naming has no way to replay what compaction dropped: read the prefix afresh.
            compactions++;
            logger.info("etcd compacted the history of '" + target + "' past revision " + (revision + 1)
                    + " (compacted to " + response.getCompactRevision() + "); listing the prefix again");
            cancelWatch("compacted");
            listed = false;
            list();
            return;
        }
        if (response.getCanceled()) {
            failed("etcd cancelled the watch", Status.UNAVAILABLE.withDescription(response.getCancelReason()));
            return;
        }
        if (response.getCreated()) {
            phase = Phase.WATCHING;
            backoff.reset();
        }
        boolean changed = registrations.apply(response.getEventsList());
        revision = Math.max(revision, response.getHeader().getRevision());
        keys = registrations.size(); // a key may change without changing the list
        if (changed) {
            report();
        }
    }

    /** Reports {@code error} and, after a backoff, watches again (or lists, if no list succeeded). */
    private void failed(String what, Status error) {
        cancelWatch(what);
        attempt++;
        phase = Phase.BACKOFF;
        ResolverListener current = requireNonNull(listener, "listener");
        current.onError(Status.UNAVAILABLE.withDescription("etcd resolver for '" + target + "' (etcd "
                + servers.names() + "): " + what + ": " + error.getCode()
                + (error.getDescription() == null ? "" : " " + error.getDescription())).withCause(error.getCause()));
        long delay = backoff.nextDelayNanos();
        try {
            retry = serializer.schedule(this::retry, delay, TimeUnit.NANOSECONDS, args.scheduler());
        } catch (RejectedExecutionException e) {
            // The channel's scheduler is shutting down, and this resolver with it.
        }
    }

    private void retry() {
        retry = null;
        if (shutdown) {
            return;
        }
        if (listed) {
            authenticated(++attempt, this::watch);
        } else {
            list();
        }
    }

    private void report() {
        keys = registrations.size();
        ResolverListener current = requireNonNull(listener, "listener");
        // Derived from the last list: a key put or deleted costs the balancers that one endpoint.
        current.onResult(ResolutionResult.of(registrations.endpoints()));
    }

    /** A unary call's observer whose outcome hops into the serializer, dropped when stale. */
    private <T> StreamObserver<T> unary(long mine, String failure, Consumer<T> onValue) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                inContext(mine, () -> onValue.accept(value));
            }

            @Override
            public void onError(Throwable error) {
                inContext(mine, () -> failed(failure, Status.fromThrowable(error)));
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private void inContext(long mine, Runnable task) {
        serializer.execute(() -> {
            if (!shutdown && mine == attempt) {
                task.run();
            }
        });
    }

    private void cancelWatch(String why) {
        ClientCallStreamObserver<WatchRequest> current = watch;
        watch = null;
        if (current != null) {
            current.cancel(why, null);
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
    }
}
