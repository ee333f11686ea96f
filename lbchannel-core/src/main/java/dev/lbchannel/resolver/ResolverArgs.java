package dev.lbchannel.resolver;

import dev.lbchannel.serializer.Serializer;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import static java.util.Objects.requireNonNull;

/**
 * What the channel gives a resolver when it creates one.
 *
 * @param defaultPort the port to use when the target names none: 443 with TLS, 80 without
 * @param scheduler for timers (refresh intervals, rate limits); tasks on it must not block
 * @param offloadExecutor for blocking work such as system name lookups: a pool that is never an
 *     event loop, the serializer or the application's call executor
 * @param eventLoopGroup the channel's event loops (NIO), for resolvers that do non-blocking I/O
 *     such as DNS queries
 * @param serializer the channel's serializer, where it calls {@code start}, {@code refresh} and
 *     {@code shutdown}: a resolver that reports from threads of its own can hand each report to
 *     it and check there whether it has been shut down, which keeps {@link Resolver#shutdown()}'s
 *     promise without a lock
 */
public record ResolverArgs(int defaultPort, ScheduledExecutorService scheduler, Executor offloadExecutor,
        EventLoopGroup eventLoopGroup, Serializer serializer) {

    public ResolverArgs {
        requireNonNull(scheduler, "scheduler");
        requireNonNull(serializer, "serializer");
        requireNonNull(offloadExecutor, "offloadExecutor");
        requireNonNull(eventLoopGroup, "eventLoopGroup");
    }
}
