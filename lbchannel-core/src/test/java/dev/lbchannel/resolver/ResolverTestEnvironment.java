package dev.lbchannel.resolver;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What a channel gives its resolvers, for tests: real NIO event loops (whose first loop is the
 * scheduler, as in the channel) and a real offload pool. Close it after the class.
 */
public final class ResolverTestEnvironment implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("resolver-test-loop", true), NioIoHandler.newFactory());
    private final ExecutorService offload = Executors.newCachedThreadPool(
            new DefaultThreadFactory("resolver-test-offload", true));

    public ResolverArgs args(int defaultPort) {
        return new ResolverArgs(defaultPort, group.next(), offload, group);
    }

    @Override
    public void close() throws InterruptedException {
        offload.shutdownNow();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
