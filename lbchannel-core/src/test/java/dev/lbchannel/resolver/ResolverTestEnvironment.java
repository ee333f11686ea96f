package dev.lbchannel.resolver;

import dev.lbchannel.serializer.Serializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What a channel gives its resolvers, for tests: real event loops, NIO's unless given (whose first loop is the
 * scheduler, as in the channel), a real offload pool and a serializer. Close it after the class.
 */
public final class ResolverTestEnvironment implements AutoCloseable {

    private final EventLoopGroup group;
    private final ExecutorService offload = Executors.newCachedThreadPool(
            new DefaultThreadFactory("resolver-test-offload", true));

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    /** The serializer every resolver under test gets; a task that throws fails {@link #close()}. */
    private final Serializer serializer = new Serializer((thread, error) -> uncaught.add(error));

    public ResolverTestEnvironment() {
        this(NioIoHandler.newFactory());
    }

    /** With event loops of another transport (epoll's, io_uring's), whose datagram channels DNS queries use. */
    public ResolverTestEnvironment(IoHandlerFactory loops) {
        this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("resolver-test-loop", true), loops);
    }

    public ResolverArgs args(int defaultPort) {
        return new ResolverArgs(defaultPort, group.next(), offload, group, serializer);
    }

    @Override
    public void close() throws InterruptedException {
        offload.shutdownNow();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        if (!uncaught.isEmpty()) {
            AssertionError failure = new AssertionError("A serializer task threw: " + uncaught.get(0), uncaught.get(0));
            uncaught.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
