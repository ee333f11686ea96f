package dev.lbchannel;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverListener;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Delivers one resolver's results into the channel (the seed's ccResolverWrapper): results and
 * errors hop onto the serializer; when the channel rejects a result or the resolver fails, it
 * asks the resolver again with growing backoff, again and again, until a result is accepted. It
 * keeps the last result, which the channel has delivered again when its defaults change.
 */
final class ResolverBridge implements ResolverListener {

    private final Resolver resolver;
    private final Serializer serializer;
    private final ScheduledExecutorService scheduler;
    private final Function<ResolutionResult, Status> onResult;
    private final Consumer<Status> onError;
    private final Backoff backoff;
    private Serializer.@Nullable ScheduledHandle retryTimer;
    private @Nullable ResolutionResult lastResult;
    private boolean shutdown;

    /**
     * @param onResult takes a result on the serializer and says whether it was usable
     * @param onError takes a resolver error on the serializer
     */
    ResolverBridge(Resolver resolver, Serializer serializer, ScheduledExecutorService scheduler,
            BackoffPolicy backoffPolicy, Function<ResolutionResult, Status> onResult, Consumer<Status> onError) {
        this.resolver = resolver;
        this.serializer = serializer;
        this.scheduler = scheduler;
        this.backoff = new Backoff(backoffPolicy);
        this.onResult = onResult;
        this.onError = onError;
    }

    void start() {
        serializer.assertInContext();
        resolver.start(this);
    }

    @Override
    public void onResult(ResolutionResult result) {
        serializer.execute(() -> {
            if (!shutdown) {
                deliver(result);
            }
        });
    }

    /**
     * Delivers the last result again, as if the resolver had just reported it, so that a changed
     * default service config or policy applies to it; does nothing before the first result.
     */
    void redeliverLast() {
        serializer.assertInContext();
        if (!shutdown && lastResult != null) {
            deliver(lastResult);
        }
    }

    private void deliver(ResolutionResult result) {
        lastResult = result;
        Status accepted = onResult.apply(result);
        if (accepted.isOk()) {
            backoff.reset();
            cancelRetry();
        } else {
            scheduleRetry();
        }
    }

    @Override
    public void onError(Status error) {
        serializer.execute(() -> {
            if (!shutdown) {
                onError.accept(error);
                scheduleRetry();
            }
        });
    }

    /** Asks the resolver for a fresh result now, unless a backoff retry is already waiting. */
    void refresh() {
        serializer.assertInContext();
        if (!shutdown && (retryTimer == null || !retryTimer.isPending())) {
            resolver.refresh();
        }
    }

    /** Skips a pending backoff and asks again at once. */
    void resetBackoff() {
        serializer.assertInContext();
        if (retryTimer != null && retryTimer.isPending()) {
            cancelRetry();
            backoff.reset();
            resolver.refresh();
        }
    }

    void shutdown() {
        serializer.assertInContext();
        if (!shutdown) {
            shutdown = true;
            cancelRetry();
            resolver.shutdown();
        }
    }

    /** Polls the resolver with growing waits until a result is accepted (the seed's poll loop). */
    private void scheduleRetry() {
        if (retryTimer != null && retryTimer.isPending()) {
            return;
        }
        retryTimer = serializer.schedule(() -> {
            if (!shutdown) {
                resolver.refresh();
                scheduleRetry();
            }
        }, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS, scheduler);
    }

    private void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
    }
}
